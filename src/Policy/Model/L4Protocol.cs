namespace Sluice.Policy.Model;

/// <summary>Protocol of a port entry. <see cref="Any"/> means TCP, UDP and SCTP.</summary>
public enum L4Protocol
{
    /// <summary><c>ANY</c> or empty: every port-bearing protocol (TCP, UDP, SCTP).</summary>
    Any,

    /// <summary>TCP (6).</summary>
    TCP,

    /// <summary>UDP (17).</summary>
    UDP,

    /// <summary>SCTP (132).</summary>
    SCTP,

    /// <summary>ICMP (1); only produced from <c>icmps</c>, never accepted in <c>toPorts</c>.</summary>
    ICMP,

    /// <summary>ICMPv6 (58); only produced from <c>icmps</c>, never accepted in <c>toPorts</c>.</summary>
    ICMPv6,

    /// <summary>VRRP (112): extended IP protocol (parsed, not enforced).</summary>
    VRRP,

    /// <summary>IGMP (2): extended IP protocol (parsed, not enforced).</summary>
    IGMP,
}
