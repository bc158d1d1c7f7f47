namespace Sluice.Flows;

/// <summary>Marker for the Sluice.Flows assembly: the flow model, output formats, filters and flow-log reader.</summary>
internal static class FlowsAssembly;
