using Sluice.Policy.Diagnostics;
using Sluice.Policy.MapState;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>
/// One ingress/egress (allow or deny) entry of a policy rule, compiled: the peers it selects (OR), the L4
/// ranges it allows or denies (OR), both of which must match (AND). An empty peer list selects nothing.
/// </summary>
public sealed class CompiledPeerRule
{
    /// <summary>Creates a compiled peer rule.</summary>
    public CompiledPeerRule(
        PolicyRef origin,
        TrafficDirection direction,
        bool deny,
        bool audit,
        IReadOnlyList<IdentitySelector> peers,
        IReadOnlyList<L4Range> ranges,
        IReadOnlyList<string> notes,
        string fieldPath,
        SourceLocation location)
    {
        Origin = origin;
        Direction = direction;
        Deny = deny;
        Audit = audit;
        Peers = peers;
        Ranges = ranges;
        Notes = notes;
        FieldPath = fieldPath;
        Location = location;
    }

    /// <summary>The policy rule it came from.</summary>
    public PolicyRef Origin { get; }

    /// <summary>Ingress (peers are sources) or egress (peers are destinations).</summary>
    public TrafficDirection Direction { get; }

    /// <summary>Whether this is an ingressDeny/egressDeny entry.</summary>
    public bool Deny { get; }

    /// <summary>Whether the policy is staged (audit only).</summary>
    public bool Audit { get; }

    /// <summary>Selected peers (OR). Empty = nobody.</summary>
    public IReadOnlyList<IdentitySelector> Peers { get; }

    /// <summary>Protocols and ports (OR). Empty = no traffic (e.g. only unresolvable named ports).</summary>
    public IReadOnlyList<L4Range> Ranges { get; }

    /// <summary>
    /// Why parts of the entry are handled conservatively (features parsed but not enforced), in words a user
    /// reads in <c>sluice policy trace</c>.
    /// </summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The entry's field path, e.g. <c>specs[0].ingress[1]</c>.</summary>
    public string FieldPath { get; }

    /// <summary>Where the entry is written.</summary>
    public SourceLocation Location { get; }

    /// <summary>Cached selections, one per peer, set while the rule is installed in an engine.</summary>
    internal CachedSelection[] Selections { get; set; } = [];
}
