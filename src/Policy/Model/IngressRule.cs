using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// One entry of <c>ingress</c> or <c>ingressDeny</c>. Every populated member must match (AND); the entries of
/// each list are alternatives (OR). Cilium allows one peer kind per rule. For every list, <c>null</c> =
/// absent, empty = written as <c>[]</c> (an empty peer list selects nobody).
/// </summary>
public sealed record IngressRule
{
    /// <summary>Where the rule mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>Field path, e.g. <c>specs[0].ingress[1]</c>.</summary>
    public required string FieldPath { get; init; }

    /// <summary>True for an <c>ingressDeny</c> entry (no L7, no authentication).</summary>
    public bool IsDeny { get; init; }

    /// <summary><c>fromEndpoints</c>.</summary>
    public IReadOnlyList<EndpointSelector>? FromEndpoints { get; init; }

    /// <summary><c>fromRequires</c>: removed in Cilium 1.19, so only null or empty in accepted documents.</summary>
    public IReadOnlyList<EndpointSelector>? FromRequires { get; init; }

    /// <summary><c>fromCIDR</c>.</summary>
    public IReadOnlyList<CidrPrefix>? FromCIDR { get; init; }

    /// <summary><c>fromCIDRSet</c>.</summary>
    public IReadOnlyList<CidrRule>? FromCIDRSet { get; init; }

    /// <summary><c>fromEntities</c>.</summary>
    public IReadOnlyList<EntityReference>? FromEntities { get; init; }

    /// <summary><c>fromNodes</c>.</summary>
    public IReadOnlyList<EndpointSelector>? FromNodes { get; init; }

    /// <summary><c>fromGroups</c> (parsed, not enforced).</summary>
    public IReadOnlyList<CloudGroup>? FromGroups { get; init; }

    /// <summary><c>toPorts</c>.</summary>
    public IReadOnlyList<PortRule>? ToPorts { get; init; }

    /// <summary><c>icmps</c>.</summary>
    public IReadOnlyList<IcmpRule>? ICMPs { get; init; }

    /// <summary><c>authentication</c> (parsed, not enforced).</summary>
    public Authentication? Authentication { get; init; }
}
