using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>toPorts</c> entry. In deny rules only <see cref="Ports"/> may be set.</summary>
public sealed record PortRule
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>ports</c> (OR). Empty when absent.</summary>
    public IReadOnlyList<PortProtocol> Ports { get; init; } = [];

    /// <summary><c>rules</c>: L7 constraints (parsed, not enforced).</summary>
    public L7Rules? Rules { get; init; }

    /// <summary><c>serverNames</c>: TLS SNI values (parsed, not enforced).</summary>
    public IReadOnlyList<string>? ServerNames { get; init; }

    /// <summary><c>terminatingTLS</c> (parsed, not enforced).</summary>
    public TlsContext? TerminatingTLS { get; init; }

    /// <summary><c>originatingTLS</c> (parsed, not enforced).</summary>
    public TlsContext? OriginatingTLS { get; init; }

    /// <summary><c>listener</c> (parsed, not enforced).</summary>
    public ListenerReference? Listener { get; init; }
}
