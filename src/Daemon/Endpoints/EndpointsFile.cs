namespace Sluice.Daemon.Endpoints;

/// <summary>The parsed endpoints file: local endpoints and labelled external prefixes.</summary>
/// <param name="Endpoints">Local endpoints, in file order.</param>
/// <param name="External">Labelled external prefixes, in file order.</param>
public sealed record EndpointsFile(IReadOnlyList<EndpointDefinition> Endpoints, IReadOnlyList<ExternalPrefix> External)
{
    /// <summary>A file with no endpoints and no prefixes.</summary>
    public static EndpointsFile Empty { get; } = new([], []);
}
