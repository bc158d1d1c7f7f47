using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// One <c>fromCIDRSet</c>/<c>toCIDRSet</c> entry: a prefix with carve-outs, or a reference to CiliumCIDRGroups.
/// Exactly one of <see cref="Cidr"/>, <see cref="CidrGroupRef"/>, <see cref="CidrGroupSelector"/> is set.
/// </summary>
public sealed record CidrRule
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>cidr</c>.</summary>
    public CidrPrefix? Cidr { get; init; }

    /// <summary><c>except</c>: sub-prefixes of <see cref="Cidr"/> that are carved out.</summary>
    public IReadOnlyList<CidrPrefix> Except { get; init; } = [];

    /// <summary><c>cidrGroupRef</c>: name of a CiliumCIDRGroup (parsed, not enforced).</summary>
    public string? CidrGroupRef { get; init; }

    /// <summary><c>cidrGroupSelector</c>: selects CiliumCIDRGroups by label (parsed, not enforced).</summary>
    public EndpointSelector? CidrGroupSelector { get; init; }
}
