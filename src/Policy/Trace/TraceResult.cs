using System.Globalization;
using System.Text;
using Sluice.Policy.MapState;

namespace Sluice.Policy.Trace;

/// <summary>The result of <see cref="PolicyTracer.Trace"/>: both directions and the final verdict.</summary>
public sealed class TraceResult
{
    internal TraceResult(TraceParty source, TraceParty destination, byte protocol, ushort port, DirectionTrace egress, DirectionTrace ingress)
    {
        Source = source;
        Destination = destination;
        Protocol = protocol;
        Port = port;
        Egress = egress;
        Ingress = ingress;
    }

    /// <summary>The initiating side.</summary>
    public TraceParty Source { get; }

    /// <summary>The receiving side.</summary>
    public TraceParty Destination { get; }

    /// <summary>IP protocol number.</summary>
    public byte Protocol { get; }

    /// <summary>Destination port, or ICMP type.</summary>
    public ushort Port { get; }

    /// <summary>The source's egress evaluation.</summary>
    public DirectionTrace Egress { get; }

    /// <summary>The destination's ingress evaluation.</summary>
    public DirectionTrace Ingress { get; }

    /// <summary>Whether the packet gets through both directions (audit outcomes get through).</summary>
    public bool Allowed => Egress.Forwarded && Ingress.Forwarded;

    /// <summary>
    /// The human-readable trace; the last line is <c>Final verdict: ALLOWED</c> or <c>Final verdict: DENIED</c>,
    /// as <c>cilium policy trace</c> prints it.
    /// </summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("----------------------------------------------------------------\n");
        sb.Append("Tracing From: ").Append(Source.Display).Append(" => To: ").Append(Destination.Display)
            .Append(" Ports: [").Append(PortText()).Append("]\n");
        RenderDirection(sb, Egress, Source);
        RenderDirection(sb, Ingress, Destination);
        sb.Append('\n').Append("Final verdict: ").Append(Allowed ? "ALLOWED" : "DENIED").Append('\n');
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Render();

    private string PortText() =>
        IpProtocol.IsIcmp(Protocol)
            ? string.Create(CultureInfo.InvariantCulture, $"type {Port}/{IpProtocol.Name(Protocol).ToUpperInvariant()}")
            : string.Create(CultureInfo.InvariantCulture, $"{Port}/{IpProtocol.Name(Protocol).ToUpperInvariant()}");

    private static void RenderDirection(StringBuilder sb, DirectionTrace trace, TraceParty party)
    {
        string name = trace.Direction == TrafficDirection.Egress ? "egress" : "ingress";
        string title = trace.Direction == TrafficDirection.Egress ? "Egress" : "Ingress";
        sb.Append('\n').Append("Resolving ").Append(name).Append(" policy for ").Append(party.Display).Append('\n');
        if (!trace.Evaluated)
        {
            sb.Append("  not a local endpoint: no ").Append(name).Append(" policy applies\n");
            sb.Append(title).Append(" verdict: allowed (no policy)\n");
            return;
        }

        sb.Append("  ").Append(trace.SelectingRules.Count.ToString(CultureInfo.InvariantCulture))
            .Append(trace.SelectingRules.Count == 1 ? " rule selects" : " rules select").Append(" this endpoint; ")
            .Append(name).Append(" enforcement: ").Append(trace.Enforcement switch
            {
                EnforcementState.DefaultDeny => "default-deny",
                EnforcementState.AuditDefaultDeny => "default-deny in audit only (staged policies)",
                _ => "off (no rule puts this direction in default-deny)",
            }).Append('\n');
        foreach (var step in trace.Steps)
        {
            sb.Append(step.Matches ? "  * " : "  - ").Append(step.Entry.Origin).Append(' ').Append(step.Entry.FieldPath);
            if (step.Entry.Location.IsKnown)
            {
                sb.Append(" (").Append(step.Entry.Location).Append(')');
            }

            sb.Append(": ").Append(step.Entry.Deny ? "deny" : "allow").Append(step.Entry.Audit ? " [staged/audit]" : string.Empty).Append(" — ");
            if (step.MatchedPeer is null)
            {
                sb.Append(step.Entry.Peers.Count == 0 ? "selects no peer" : "peer not selected by " + string.Join(" | ", step.Entry.Peers));
            }
            else
            {
                sb.Append("peer matched by ").Append(step.MatchedPeer.IsWildcard ? "any peer" : step.MatchedPeer.CanonicalText).Append(", ");
                sb.Append(step.MatchedRange is { } range
                    ? "port matched by " + range
                    : "port not matched (" + (step.Entry.Ranges.Count == 0 ? "no port" : string.Join(", ", step.Entry.Ranges)) + ")");
            }

            sb.Append('\n');
            foreach (var note in step.Entry.Notes)
            {
                sb.Append("      note: ").Append(note).Append('\n');
            }
        }

        sb.Append(title).Append(" verdict: ").Append(trace.Decision switch
        {
            LookupDecision.Denied => "denied by " + Refs(trace.Decisive) + " (deny rule, POLICY_DENY)",
            LookupDecision.DeniedByDefault => "denied (default-deny: no rule allows it, POLICY_DENIED)",
            LookupDecision.Allowed when trace.Decisive.Count == 0 => "allowed (implicit allow-localhost)",
            LookupDecision.Allowed => "allowed by " + Refs(trace.Decisive),
            LookupDecision.AuditDenied => "audit (would be denied by " + Refs(trace.Decisive) + ")",
            LookupDecision.AuditDeniedByDefault => "audit (would be denied by default)",
            _ => "allowed (no policy enforced in this direction)",
        }).Append('\n');
        if (trace.Note is not null)
        {
            sb.Append("  ").Append(trace.Note).Append('\n');
        }
    }

    private static string Refs(IReadOnlyList<TraceStep> steps) =>
        string.Join(", ", steps.Select(s => $"{s.Entry.Origin} {s.Entry.FieldPath}").Distinct());
}
