using System.Globalization;
using Sluice.Policy.MapState;

namespace Sluice.Policy.Engine;

/// <summary>
/// The L4 part of a compiled rule: a protocol (0 = every protocol) and an inclusive port range (for ICMP the
/// type). A rule without ports compiles to <see cref="AllTraffic"/>.
/// </summary>
public readonly record struct L4Range(byte Protocol, ushort PortLow, ushort PortHigh)
{
    /// <summary>Every protocol, every port (an L3-only rule).</summary>
    public static L4Range AllTraffic { get; } = new(IpProtocol.Any, 0, ushort.MaxValue);

    /// <summary>Every port of one protocol.</summary>
    public static L4Range AllPorts(byte protocol) => new(protocol, 0, ushort.MaxValue);

    /// <summary>Whether a packet of <paramref name="protocol"/> to <paramref name="port"/> matches.</summary>
    public bool Matches(byte protocol, ushort port) =>
        (Protocol == IpProtocol.Any || Protocol == protocol) && port >= PortLow && port <= PortHigh;

    /// <summary>The map-state key for this range and a remote identity.</summary>
    public MapStateKey ToKey(uint identity, TrafficDirection direction) => new(identity, direction, Protocol, PortLow, PortHigh);

    /// <summary>E.g. <c>tcp/80</c>, <c>udp/1000-2000</c>, <c>icmp/type=8</c>, <c>any</c>.</summary>
    public override string ToString() =>
        MapStateKey.AllTraffic(0, TrafficDirection.Ingress) == ToKey(0, TrafficDirection.Ingress) ? "any"
        : IpProtocol.IsIcmp(Protocol) ? string.Create(CultureInfo.InvariantCulture, $"{IpProtocol.Name(Protocol)}/type={PortLow}")
        : PortLow == 0 && PortHigh == ushort.MaxValue ? IpProtocol.Name(Protocol) + "/all"
        : PortLow == PortHigh ? string.Create(CultureInfo.InvariantCulture, $"{IpProtocol.Name(Protocol)}/{PortLow}")
        : string.Create(CultureInfo.InvariantCulture, $"{IpProtocol.Name(Protocol)}/{PortLow}-{PortHigh}");
}
