using Sluice.Policy.Engine;
using Sluice.Policy.MapState;

namespace Sluice.Policy.Trace;

/// <summary>The evaluation of one direction: the source's egress or the destination's ingress.</summary>
/// <param name="Direction">Egress (source side) or ingress (destination side).</param>
/// <param name="Evaluated">False when that side is not a local endpoint, so no policy of it applies.</param>
/// <param name="SelectingRules">Rules that select the endpoint (in policy order).</param>
/// <param name="Steps">Every entry of those rules in this direction, with its match result.</param>
/// <param name="Enforcement">The direction's enforcement state.</param>
/// <param name="Decision">The outcome.</param>
/// <param name="Decisive">The matched entries that decided it (denies if any, else allows).</param>
/// <param name="Note">What staged policies would have done differently, or why an implicit rule decided; null if nothing.</param>
public sealed record DirectionTrace(
    TrafficDirection Direction,
    bool Evaluated,
    IReadOnlyList<CompiledRule> SelectingRules,
    IReadOnlyList<TraceStep> Steps,
    EnforcementState Enforcement,
    LookupDecision Decision,
    IReadOnlyList<TraceStep> Decisive,
    string? Note)
{
    /// <summary>Whether the direction lets the packet through (audit outcomes do).</summary>
    public bool Forwarded => Decision is not (LookupDecision.Denied or LookupDecision.DeniedByDefault);
}
