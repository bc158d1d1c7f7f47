using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;

namespace Sluice.Policy.Trace;

/// <summary>
/// Explains the verdict for one initiating packet, like <c>cilium policy trace</c>: the source's egress
/// policy and the destination's ingress policy are evaluated rule by rule over the same compiled rules the
/// engine uses, with the same precedence (enforced deny, then audit deny where something would otherwise
/// admit the packet, then allow, then the direction's default), so the trace agrees with the map state.
/// </summary>
public sealed class PolicyTracer
{
    private readonly IReadOnlyList<CompiledRule> _rules;
    private readonly EnforcementMode _mode;
    private readonly bool _allowLocalhost;

    /// <summary>Creates a tracer over compiled rules.</summary>
    /// <param name="rules">The compiled rules.</param>
    /// <param name="mode">The agent-wide enforcement mode.</param>
    /// <param name="allowLocalhost">Whether the local host may always reach ingress-enforced endpoints (see <see cref="PolicyEngine.AllowLocalhost"/>).</param>
    public PolicyTracer(IEnumerable<CompiledRule> rules, EnforcementMode mode = EnforcementMode.Default, bool allowLocalhost = true)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
        _mode = mode;
        _allowLocalhost = allowLocalhost;
    }

    /// <summary>Creates a tracer over the rules installed in an engine, with its enforcement settings.</summary>
    public PolicyTracer(PolicyEngine engine)
        : this((engine ?? throw new ArgumentNullException(nameof(engine))).Rules, engine.Mode, engine.AllowLocalhost)
    {
    }

    /// <summary>Compiles documents for tracing; <paramref name="staged"/> lists documents installed as audit-only.</summary>
    public static PolicyTracer FromDocuments(IEnumerable<PolicyDocument> documents, EnforcementMode mode = EnforcementMode.Default,
        IReadOnlySet<PolicyDocument>? staged = null, bool allowLocalhost = true)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return new PolicyTracer(documents.SelectMany(d => RuleCompiler.Compile(d, staged?.Contains(d) ?? false)), mode, allowLocalhost);
    }

    /// <summary>
    /// Traces a packet from <paramref name="source"/> to <paramref name="destination"/> with
    /// <paramref name="protocol"/> (IP protocol number) and destination <paramref name="port"/> (the type for ICMP).
    /// </summary>
    public TraceResult Trace(TraceParty source, TraceParty destination, ushort port, byte protocol)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var egress = Evaluate(TrafficDirection.Egress, source.Endpoint, destination.Identity, protocol, port);
        var ingress = Evaluate(TrafficDirection.Ingress, destination.Endpoint, source.Identity, protocol, port);
        return new TraceResult(source, destination, protocol, port, egress, ingress);
    }

    private DirectionTrace Evaluate(TrafficDirection direction, EndpointInfo? subject, Identity peer, byte protocol, ushort port)
    {
        if (subject is null)
        {
            return new DirectionTrace(direction, false, [], [], EnforcementState.Off, LookupDecision.AllowedNoPolicy, [], null);
        }

        if (_mode == EnforcementMode.Never)
        {
            return new DirectionTrace(direction, true, [], [], EnforcementState.Off, LookupDecision.AllowedNoPolicy, [], null);
        }

        var selecting = _rules.Where(r => r.Selects(subject)).ToList();
        bool defaultDeny = _mode == EnforcementMode.Always || selecting.Any(r => !r.Audit && r.DefaultDeny(direction));
        bool auditDefaultDeny = selecting.Any(r => r.Audit && r.DefaultDeny(direction));
        var enforcement = defaultDeny ? EnforcementState.DefaultDeny : auditDefaultDeny ? EnforcementState.AuditDefaultDeny : EnforcementState.Off;
        var steps = new List<TraceStep>();
        foreach (var rule in selecting)
        {
            foreach (var entry in rule.PeerRules.Where(e => e.Direction == direction))
            {
                var matchedPeer = entry.Peers.FirstOrDefault(p => p.IsWildcard || p.Matches(peer));
                L4Range? matchedRange = entry.Ranges.Any(r => r.Matches(protocol, port))
                    ? entry.Ranges.First(r => r.Matches(protocol, port))
                    : null;
                steps.Add(new TraceStep(rule, entry, matchedPeer, matchedRange));
            }
        }

        var matched = steps.Where(s => s.Matches).ToList();
        var denies = matched.Where(s => s.Entry.Deny && !s.Entry.Audit).ToList();
        var auditDenies = matched.Where(s => s.Entry.Deny && s.Entry.Audit).ToList();
        var allows = matched.Where(s => !s.Entry.Deny && !s.Entry.Audit).ToList();
        var auditAllows = matched.Where(s => !s.Entry.Deny && s.Entry.Audit).ToList();

        // Cilium's allow-localhost: the local host may reach an endpoint whose ingress is enforced.
        bool hostAllowed = _allowLocalhost && direction == TrafficDirection.Ingress && peer.Id == ReservedIdentity.Host
            && enforcement != EnforcementState.Off;
        (LookupDecision decision, List<TraceStep> decisive, string? note) = (denies, auditDenies, allows, auditAllows) switch
        {
            _ when denies.Count > 0 => (LookupDecision.Denied, denies, null),
            _ when auditDenies.Count > 0 && (allows.Count > 0 || hostAllowed || !defaultDeny) =>
                (LookupDecision.AuditDenied, auditDenies, "forwarded, but a staged (audit) policy would deny it"),
            _ when allows.Count > 0 => (LookupDecision.Allowed, allows, null),
            _ when hostAllowed => (LookupDecision.Allowed, new List<TraceStep>(),
                "allow-localhost: the local host may always reach local endpoints"),
            _ when defaultDeny => (LookupDecision.DeniedByDefault, new List<TraceStep>(), null),
            _ when auditAllows.Count > 0 => (LookupDecision.Allowed, auditAllows, "allowed only by a staged (audit) policy"),
            _ when auditDefaultDeny => (LookupDecision.AuditDeniedByDefault, new List<TraceStep>(),
                "forwarded, but staged (audit) policies would put this direction in default-deny with no rule allowing it"),
            _ => (LookupDecision.AllowedNoPolicy, new List<TraceStep>(), null),
        };
        return new DirectionTrace(direction, true, selecting, steps, enforcement, decision, decisive, note);
    }
}
