using System.Globalization;

namespace Sluice.Policy.MapState;

/// <summary>
/// One policy-map key: remote identity (0 = any), direction, protocol (0 = any) and an inclusive port range
/// (0–65535 = any port). For ICMP and ICMPv6 the range holds the ICMP type, as Cilium encodes it.
/// Keys sort by identity, direction, protocol, then range, which gives map states a stable, diffable order.
/// </summary>
public readonly record struct MapStateKey(uint RemoteIdentity, TrafficDirection Direction, byte Protocol, ushort PortLow, ushort PortHigh)
    : IComparable<MapStateKey>
{
    /// <summary>The key for every port and protocol of one identity.</summary>
    public static MapStateKey AllTraffic(uint identity, TrafficDirection direction) =>
        new(identity, direction, IpProtocol.Any, 0, ushort.MaxValue);

    /// <summary>Whether the key covers every port.</summary>
    public bool IsAllPorts => PortLow == 0 && PortHigh == ushort.MaxValue;

    /// <summary>
    /// Whether this key covers every packet <paramref name="other"/> covers: same identity and direction,
    /// same protocol or this one "any", and a port range that contains the other's.
    /// </summary>
    public bool Covers(MapStateKey other) =>
        RemoteIdentity == other.RemoteIdentity && Direction == other.Direction
        && (Protocol == IpProtocol.Any || Protocol == other.Protocol)
        && PortLow <= other.PortLow && PortHigh >= other.PortHigh;

    /// <summary>Whether some packet matches both keys.</summary>
    public bool Overlaps(MapStateKey other) =>
        RemoteIdentity == other.RemoteIdentity && Direction == other.Direction
        && (Protocol == IpProtocol.Any || other.Protocol == IpProtocol.Any || Protocol == other.Protocol)
        && PortLow <= other.PortHigh && other.PortLow <= PortHigh;

    /// <summary>Whether a packet of <paramref name="protocol"/> to <paramref name="port"/> (or ICMP type) matches.</summary>
    public bool Matches(byte protocol, ushort port) =>
        (Protocol == IpProtocol.Any || Protocol == protocol) && port >= PortLow && port <= PortHigh;

    /// <inheritdoc/>
    public int CompareTo(MapStateKey other)
    {
        int c = RemoteIdentity.CompareTo(other.RemoteIdentity);
        if (c == 0)
        {
            c = ((int)Direction).CompareTo((int)other.Direction);
        }

        if (c == 0)
        {
            c = Protocol.CompareTo(other.Protocol);
        }

        if (c == 0)
        {
            c = PortLow.CompareTo(other.PortLow);
        }

        return c != 0 ? c : PortHigh.CompareTo(other.PortHigh);
    }

    /// <summary>E.g. <c>ingress identity=256 tcp/80-89</c>, <c>egress identity=any any</c>, <c>ingress identity=2 icmp/type=8</c>.</summary>
    public override string ToString()
    {
        string direction = Direction == TrafficDirection.Ingress ? "ingress" : "egress";
        string identity = RemoteIdentity == 0 ? "any" : RemoteIdentity.ToString(CultureInfo.InvariantCulture);
        string ports;
        if (Protocol == IpProtocol.Any && IsAllPorts)
        {
            ports = "any";
        }
        else if (IpProtocol.IsIcmp(Protocol))
        {
            ports = string.Create(CultureInfo.InvariantCulture, $"{IpProtocol.Name(Protocol)}/type={PortLow}");
        }
        else if (IsAllPorts)
        {
            ports = IpProtocol.Name(Protocol) + "/all";
        }
        else if (PortLow == PortHigh)
        {
            ports = string.Create(CultureInfo.InvariantCulture, $"{IpProtocol.Name(Protocol)}/{PortLow}");
        }
        else
        {
            ports = string.Create(CultureInfo.InvariantCulture, $"{IpProtocol.Name(Protocol)}/{PortLow}-{PortHigh}");
        }

        return $"{direction} identity={identity} {ports}";
    }

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <(MapStateKey left, MapStateKey right) => left.CompareTo(right) < 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <=(MapStateKey left, MapStateKey right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >(MapStateKey left, MapStateKey right) => left.CompareTo(right) > 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >=(MapStateKey left, MapStateKey right) => left.CompareTo(right) >= 0;
}
