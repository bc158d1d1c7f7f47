using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// One entry of <c>egress</c> or <c>egressDeny</c>. Every populated member must match (AND); the entries of
/// each list are alternatives (OR). Cilium allows one peer kind per rule. For every list, <c>null</c> =
/// absent, empty = written as <c>[]</c> (an empty peer list selects nobody).
/// </summary>
public sealed record EgressRule
{
    /// <summary>Where the rule mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>Field path, e.g. <c>spec.egress[0]</c>.</summary>
    public required string FieldPath { get; init; }

    /// <summary>True for an <c>egressDeny</c> entry (no L7, no toFQDNs, no authentication).</summary>
    public bool IsDeny { get; init; }

    /// <summary><c>toEndpoints</c>.</summary>
    public IReadOnlyList<EndpointSelector>? ToEndpoints { get; init; }

    /// <summary><c>toRequires</c>: removed in Cilium 1.19, so only null or empty in accepted documents.</summary>
    public IReadOnlyList<EndpointSelector>? ToRequires { get; init; }

    /// <summary><c>toCIDR</c>.</summary>
    public IReadOnlyList<CidrPrefix>? ToCIDR { get; init; }

    /// <summary><c>toCIDRSet</c>.</summary>
    public IReadOnlyList<CidrRule>? ToCIDRSet { get; init; }

    /// <summary><c>toEntities</c>.</summary>
    public IReadOnlyList<EntityReference>? ToEntities { get; init; }

    /// <summary><c>toNodes</c>.</summary>
    public IReadOnlyList<EndpointSelector>? ToNodes { get; init; }

    /// <summary><c>toGroups</c> (parsed, not enforced).</summary>
    public IReadOnlyList<CloudGroup>? ToGroups { get; init; }

    /// <summary><c>toServices</c> (parsed, not enforced).</summary>
    public IReadOnlyList<ServiceSelector>? ToServices { get; init; }

    /// <summary><c>toFQDNs</c> (parsed, not enforced).</summary>
    public IReadOnlyList<FqdnSelector>? ToFQDNs { get; init; }

    /// <summary><c>toPorts</c>.</summary>
    public IReadOnlyList<PortRule>? ToPorts { get; init; }

    /// <summary><c>icmps</c>.</summary>
    public IReadOnlyList<IcmpRule>? ICMPs { get; init; }

    /// <summary><c>authentication</c> (parsed, not enforced).</summary>
    public Authentication? Authentication { get; init; }
}
