namespace Sluice.Policy.MapState;

/// <summary>IP protocol numbers used in map-state keys (0 = any protocol).</summary>
public static class IpProtocol
{
    /// <summary>Any protocol (L3-only rules).</summary>
    public const byte Any = 0;

    /// <summary>ICMP for IPv4; the ICMP type goes in the port field.</summary>
    public const byte Icmp = 1;

    /// <summary>TCP.</summary>
    public const byte Tcp = 6;

    /// <summary>UDP.</summary>
    public const byte Udp = 17;

    /// <summary>ICMPv6; the ICMP type goes in the port field.</summary>
    public const byte IcmpV6 = 58;

    /// <summary>SCTP.</summary>
    public const byte Sctp = 132;

    /// <summary>The lower-case name (<c>tcp</c>, <c>icmpv6</c>, <c>any</c>) or the number.</summary>
    public static string Name(byte protocol) => protocol switch
    {
        Any => "any",
        Icmp => "icmp",
        Tcp => "tcp",
        Udp => "udp",
        IcmpV6 => "icmpv6",
        Sctp => "sctp",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Whether the port field of a key with this protocol carries an ICMP type.</summary>
    public static bool IsIcmp(byte protocol) => protocol is Icmp or IcmpV6;
}
