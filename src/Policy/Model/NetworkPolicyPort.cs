using System.Globalization;
using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One Kubernetes NetworkPolicy port entry.</summary>
public sealed record NetworkPolicyPort
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>protocol</c>: TCP (the Kubernetes default), UDP or SCTP.</summary>
    public L4Protocol Protocol { get; init; } = L4Protocol.TCP;

    /// <summary><c>port</c>: a number or a named port; null = every port of <see cref="Protocol"/>.</summary>
    public string? Port { get; init; }

    /// <summary><c>endPort</c>: inclusive range end; only with a numeric <see cref="Port"/>.</summary>
    public int? EndPort { get; init; }

    /// <summary>The port as a number, or null for a named or absent port.</summary>
    public int? PortNumber =>
        int.TryParse(Port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
