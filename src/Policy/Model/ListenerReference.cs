using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary><c>listener</c>: redirect to a named Envoy listener. Parsed, not enforced.</summary>
public sealed record ListenerReference
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>envoyConfig.kind</c>: CiliumEnvoyConfig or CiliumClusterwideEnvoyConfig.</summary>
    public required string EnvoyConfigKind { get; init; }

    /// <summary><c>envoyConfig.name</c>.</summary>
    public required string EnvoyConfigName { get; init; }

    /// <summary><c>name</c>: the listener's name.</summary>
    public required string Name { get; init; }

    /// <summary><c>priority</c> (1–100), null when absent or 0.</summary>
    public int? Priority { get; init; }
}
