using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Sinks;

/// <summary>
/// A consumer at the end of the pipeline. Each sink runs on its own task behind its own bounded queue;
/// calls come from that one task, so implementations need no locking against themselves.
/// </summary>
public interface IFlowSink
{
    /// <summary>Short name used in loss counters and metrics (e.g. "ring", "log", "metrics").</summary>
    string Name { get; }

    /// <summary>Handles one batch. Must not keep a reference to the span after returning.</summary>
    void Consume(ReadOnlySpan<FlowEvent> flows);

    /// <summary>Called once after the last batch; flush buffers here.</summary>
    void Complete();
}
