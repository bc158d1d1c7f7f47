using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One ICMP type of a family; names are resolved to their numbers.</summary>
public sealed record IcmpField
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>family</c> (IPv4 when absent).</summary>
    public IpFamily Family { get; init; } = IpFamily.IPv4;

    /// <summary>The ICMP / ICMPv6 type number.</summary>
    public required byte Type { get; init; }

    /// <summary><c>type</c> as written: a number or a CamelCase name.</summary>
    public required string TypeText { get; init; }
}
