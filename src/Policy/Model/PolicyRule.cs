using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// One Cilium <c>Rule</c>: the subject selector plus allow and deny sections per direction.
/// For every list, <c>null</c> means the field was absent (or explicitly null) and an empty list means
/// it was written as <c>[]</c>; Cilium treats the two differently in places.
/// </summary>
public sealed record PolicyRule
{
    /// <summary>Where the rule mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>Field path of the rule inside its document, e.g. <c>spec</c>, <c>specs[2]</c> or <c>[0]</c>.</summary>
    public required string FieldPath { get; init; }

    /// <summary>Zero-based position of the rule among the document's rules (spec first, then specs).</summary>
    public int Index { get; init; }

    /// <summary>Endpoints the rule applies to; exactly one of this and <see cref="NodeSelector"/> is set.</summary>
    public EndpointSelector? EndpointSelector { get; init; }

    /// <summary>Nodes the rule applies to (host policy, clusterwide kind only).</summary>
    public EndpointSelector? NodeSelector { get; init; }

    /// <summary><c>ingress</c> allow rules.</summary>
    public IReadOnlyList<IngressRule>? Ingress { get; init; }

    /// <summary><c>ingressDeny</c> rules (<see cref="IngressRule.IsDeny"/> is true).</summary>
    public IReadOnlyList<IngressRule>? IngressDeny { get; init; }

    /// <summary><c>egress</c> allow rules.</summary>
    public IReadOnlyList<EgressRule>? Egress { get; init; }

    /// <summary><c>egressDeny</c> rules (<see cref="EgressRule.IsDeny"/> is true).</summary>
    public IReadOnlyList<EgressRule>? EgressDeny { get; init; }

    /// <summary><c>enableDefaultDeny</c> as written (null when absent).</summary>
    public DefaultDenyConfig? EnableDefaultDeny { get; init; }

    /// <summary><c>description</c>: free text.</summary>
    public string? Description { get; init; }

    /// <summary><c>labels</c>: free metadata.</summary>
    public IReadOnlyList<RuleLabel> Labels { get; init; } = [];

    /// <summary><c>log</c> (parsed, not enforced).</summary>
    public LogConfig? Log { get; init; }
}
