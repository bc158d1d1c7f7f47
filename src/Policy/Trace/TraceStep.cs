using Sluice.Policy.Engine;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Trace;

/// <summary>
/// One ingress/egress entry of a rule that selects the traced endpoint, and whether it matched the traced
/// peer (which selector) and port (which range).
/// </summary>
/// <param name="Rule">The rule that selects the endpoint.</param>
/// <param name="Entry">The entry inside the rule.</param>
/// <param name="MatchedPeer">The peer selector that matched, or null.</param>
/// <param name="MatchedRange">The L4 range that matched, or null.</param>
public sealed record TraceStep(CompiledRule Rule, CompiledPeerRule Entry, IdentitySelector? MatchedPeer, L4Range? MatchedRange)
{
    /// <summary>Whether both the peer and the port matched, so the entry applies to the traced packet.</summary>
    public bool Matches => MatchedPeer is not null && MatchedRange is not null;
}
