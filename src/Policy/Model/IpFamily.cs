namespace Sluice.Policy.Model;

/// <summary>Address family of an ICMP type.</summary>
public enum IpFamily
{
    /// <summary>ICMP (protocol 1). The default when <c>family</c> is absent.</summary>
    IPv4,

    /// <summary>ICMPv6 (protocol 58).</summary>
    IPv6,
}
