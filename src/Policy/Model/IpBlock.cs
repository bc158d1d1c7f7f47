using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>Kubernetes <c>ipBlock</c>: a prefix with carve-outs.</summary>
public sealed record IpBlock
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>cidr</c>.</summary>
    public required CidrPrefix Cidr { get; init; }

    /// <summary><c>except</c>.</summary>
    public IReadOnlyList<CidrPrefix> Except { get; init; } = [];
}
