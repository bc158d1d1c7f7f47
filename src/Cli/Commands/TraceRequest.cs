namespace Sluice.Cli.Commands;

/// <summary>The arguments of one <c>sluice policy trace</c> run, as given on the command line.</summary>
/// <param name="Source"><c>--src</c> labels.</param>
/// <param name="SourceIp"><c>--src-ip</c>.</param>
/// <param name="SourceNamespace"><c>--src-namespace</c>.</param>
/// <param name="Destination"><c>--dst</c> labels.</param>
/// <param name="DestinationIp"><c>--dst-ip</c>.</param>
/// <param name="DestinationNamespace"><c>--dst-namespace</c>.</param>
/// <param name="Namespace"><c>--namespace</c>, for either side that names none.</param>
/// <param name="DestinationPort"><c>--dport</c>, e.g. <c>80/TCP</c>.</param>
/// <param name="Policies"><c>--policies</c> files or directories.</param>
/// <param name="EndpointsFile"><c>--endpoints</c>.</param>
internal sealed record TraceRequest(
    string? Source,
    string? SourceIp,
    string? SourceNamespace,
    string? Destination,
    string? DestinationIp,
    string? DestinationNamespace,
    string? Namespace,
    string? DestinationPort,
    string[]? Policies,
    string? EndpointsFile);
