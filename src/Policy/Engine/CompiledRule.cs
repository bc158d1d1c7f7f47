using Sluice.Policy.Diagnostics;
using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>
/// A policy rule compiled for evaluation: which endpoints it applies to, whether it puts them in
/// default-deny per direction, and its ingress/egress entries.
/// </summary>
public sealed class CompiledRule
{
    /// <summary>Creates a compiled rule.</summary>
    public CompiledRule(
        PolicyRef origin,
        LabelSelector? subject,
        bool defaultDenyIngress,
        bool defaultDenyEgress,
        bool audit,
        IReadOnlyList<CompiledPeerRule> peerRules,
        IReadOnlyList<string> notes,
        string fieldPath,
        SourceLocation location)
    {
        Origin = origin;
        Subject = subject;
        DefaultDenyIngress = defaultDenyIngress;
        DefaultDenyEgress = defaultDenyEgress;
        Audit = audit;
        PeerRules = peerRules;
        Notes = notes;
        FieldPath = fieldPath;
        Location = location;
    }

    /// <summary>The policy rule.</summary>
    public PolicyRef Origin { get; }

    /// <summary>Selects the endpoints the rule applies to (namespace already injected); null = none.</summary>
    public LabelSelector? Subject { get; }

    /// <summary>Whether selected endpoints go default-deny at ingress because of this rule.</summary>
    public bool DefaultDenyIngress { get; }

    /// <summary>Whether selected endpoints go default-deny at egress because of this rule.</summary>
    public bool DefaultDenyEgress { get; }

    /// <summary>Whether the policy is staged (audit only).</summary>
    public bool Audit { get; }

    /// <summary>The ingress/egress entries.</summary>
    public IReadOnlyList<CompiledPeerRule> PeerRules { get; }

    /// <summary>Rule-level notes (e.g. a host policy that applies to no endpoint).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The rule's field path (<c>specs[1]</c>, <c>spec</c>).</summary>
    public string FieldPath { get; }

    /// <summary>Where the rule is written.</summary>
    public SourceLocation Location { get; }

    /// <summary>Whether the rule applies to the endpoint.</summary>
    public bool Selects(EndpointInfo endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Subject is not null && Subject.Matches(endpoint.Labels);
    }

    /// <summary>Whether the rule makes its endpoints default-deny in <paramref name="direction"/>.</summary>
    public bool DefaultDeny(TrafficDirection direction) =>
        direction == TrafficDirection.Ingress ? DefaultDenyIngress : DefaultDenyEgress;
}
