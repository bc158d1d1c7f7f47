using System.Globalization;
using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// One <c>ports</c> entry: a port number (or IANA service name), an optional inclusive range end, and a protocol.
/// Port <c>"0"</c> means every port.
/// </summary>
public sealed record PortProtocol
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The port: decimal digits, a lower-cased service name, or empty (VRRP/IGMP only).</summary>
    public required string Port { get; init; }

    /// <summary><c>endPort</c>: inclusive end of the range starting at <see cref="Port"/>; null when absent or 0
    /// (Cilium's "unset"). Never below the port number in an accepted document; ignored for named ports.</summary>
    public int? EndPort { get; init; }

    /// <summary><c>protocol</c>.</summary>
    public L4Protocol Protocol { get; init; } = L4Protocol.Any;

    /// <summary>The port as a number, or null for a named (or empty) port.</summary>
    public int? PortNumber =>
        int.TryParse(Port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>True when <see cref="Port"/> is a service name that the endpoint's named ports resolve.</summary>
    public bool IsNamed => Port.Length > 0 && PortNumber is null;
}
