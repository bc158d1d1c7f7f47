using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Sluice.Api.Flow;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Formatting;

/// <summary>
/// Turns a <see cref="FlowEvent"/> into Hubble's <see cref="Flow"/> message. This is where Sluice's flow
/// events take Hubble's shape: new connections are policy-verdict events, TCP flag changes and periodic
/// reports are trace events at the endpoint, drops are drop events (see docs/flows.md).
/// </summary>
public static class FlowProtoConverter
{
    // Endpoint and Policy messages depend only on the (long-lived, shared) enrichment objects, so each is
    // built once and then shared by every flow that refers to it; this halves the conversion cost.
    private static readonly ConditionalWeakTable<EndpointView, Endpoint> Endpoints = new();
    private static readonly ConditionalWeakTable<PolicyRefInfo, Policy[]> PolicyMessages = new();
    private static readonly ConditionalWeakTable<FlowConversionContext, Emitter> Emitters = new();
    private static readonly string[] TcpSummaries = [.. Enumerable.Range(0, 512).Select(f => "TCP Flags: " + TcpFlagsText((TcpFlagBits)f))];

    /// <summary>
    /// Converts one event. The returned message shares its source/destination Endpoint, Policy and
    /// Emitter sub-messages with other flows: treat it as read-only, or Clone() it before changing it.
    /// </summary>
    public static Flow ToProto(in FlowEvent e, FlowConversionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var flow = new Flow
        {
            Time = ToTimestamp(e.TimestampUnixNs),
            Uuid = string.Create(CultureInfo.InvariantCulture, $"{context.UuidPrefix}-{e.Sequence & 0xFFFF_FFFF_FFFF:x12}"),
            Emitter = Emitters.GetValue(context, c => new Emitter { Name = "Sluice", Version = c.Version }),
            Verdict = e.Verdict,
            Type = FlowType.L3L4,
            NodeName = context.NodeName,
            TrafficDirection = e.Direction,
            Source = ToEndpoint(e.Source, e.SourceIdentity),
            Destination = ToEndpoint(e.Destination, e.DestinationIdentity),
        };

        if (e.Verdict == Verdict.Dropped)
        {
#pragma warning disable CS0612 // drop_reason is deprecated upstream but still read by older clients.
            flow.DropReason = (uint)e.DropReason;
#pragma warning restore CS0612
            flow.DropReasonDesc = e.DropReason;
        }

        if (e.IpVersion is 4 or 6)
        {
            flow.IP = new IP
            {
                Source = e.SourceAddress.ToString(e.IpVersion),
                Destination = e.DestinationAddress.ToString(e.IpVersion),
                IpVersion = e.IpVersion == 4 ? IPVersion.Ipv4 : IPVersion.Ipv6,
            };
        }

        flow.L4 = ToLayer4(e);

        if (e.Reply != ReplyState.Unknown)
        {
            flow.IsReply = e.Reply == ReplyState.Reply;
#pragma warning disable CS0612 // reply is deprecated upstream but still read by older clients.
            flow.Reply = e.Reply == ReplyState.Reply;
#pragma warning restore CS0612
        }

        bool packetToLocal = (e.Direction == TrafficDirection.Ingress) != (e.Reply == ReplyState.Reply);
        switch (e.Kind)
        {
            case FlowEventKind.PolicyVerdict:
                flow.EventType = new CiliumEventType { Type = HubbleNames.MessageTypePolicyVerdict };
                flow.PolicyMatchType = e.PolicyMatchType;
                break;
            case FlowEventKind.Drop:
                flow.EventType = new CiliumEventType { Type = HubbleNames.MessageTypeDrop, SubType = (int)e.DropReason };
                break;
            case FlowEventKind.Trace:
            case FlowEventKind.Report:
                flow.EventType = new CiliumEventType
                {
                    Type = HubbleNames.MessageTypeTrace,
                    SubType = packetToLocal ? HubbleNames.TraceToEndpoint : HubbleNames.TraceFromEndpoint,
                };
                flow.TraceObservationPoint = packetToLocal ? TraceObservationPoint.ToEndpoint : TraceObservationPoint.FromEndpoint;
                flow.TraceReason = e.Reply == ReplyState.Reply ? TraceReason.Reply
                    : (e.TcpFlags & (TcpFlagBits.Syn | TcpFlagBits.Ack)) == TcpFlagBits.Syn ? TraceReason.New
                    : TraceReason.Established;
                break;
        }

        if (e.IfIndex != 0)
        {
            flow.Interface = new NetworkInterface { Index = e.IfIndex, Name = e.InterfaceName ?? string.Empty };
        }

        AddPolicies(flow, e);

#pragma warning disable CS0612 // Summary is deprecated upstream; hubble observe still prints it.
        flow.Summary = Summary(e);
#pragma warning restore CS0612
        return flow;
    }

    /// <summary>A Unix-nanosecond time as a protobuf Timestamp.</summary>
    public static Timestamp ToTimestamp(long unixNs) => new()
    {
        Seconds = Math.DivRem(unixNs, 1_000_000_000L, out long nanos) - (nanos < 0 ? 1 : 0),
        Nanos = (int)(nanos < 0 ? nanos + 1_000_000_000L : nanos),
    };

    /// <summary>
    /// The summary hubble prints in parentheses: "TCP Flags: SYN, ACK", "UDP", "ICMPv4 EchoRequest".
    /// Report events add their counters, and rate-limited drops the number suppressed.
    /// </summary>
    public static string Summary(in FlowEvent e)
    {
        string l4 = e.Protocol switch
        {
            6 => TcpSummaries[(int)e.TcpFlags & 0x1FF],
            17 => "UDP",
            132 => "SCTP",
            1 when e.IpVersion == 4 => "ICMPv4 " + HubbleNames.IcmpTypeName(4, e.IcmpType),
            58 when e.IpVersion == 6 => "ICMPv6 " + HubbleNames.IcmpTypeName(6, e.IcmpType),
            _ => e.IpVersion == 0 ? "Unknown" : string.Create(CultureInfo.InvariantCulture, $"IP protocol {e.Protocol}"),
        };
        if (e.Kind == FlowEventKind.Report)
        {
            l4 = string.Create(CultureInfo.InvariantCulture, $"{l4}; Packets: {e.Packets}, Bytes: {e.Bytes}");
        }

        if (e.SuppressedDrops != 0)
        {
            l4 = string.Create(CultureInfo.InvariantCulture, $"{l4}; {e.SuppressedDrops} similar drops suppressed");
        }

        return l4;
    }

    /// <summary>
    /// TCP flags in the order hubble lists them (SYN and ACK first, then RST, FIN, PSH, URG, ECE, CWR, NS),
    /// e.g. "SYN, ACK" or "ACK, FIN".
    /// </summary>
    public static string TcpFlagsText(TcpFlagBits flags)
    {
        var text = new StringBuilder(24);
        Append(TcpFlagBits.Syn, "SYN");
        Append(TcpFlagBits.Ack, "ACK");
        Append(TcpFlagBits.Rst, "RST");
        Append(TcpFlagBits.Fin, "FIN");
        Append(TcpFlagBits.Psh, "PSH");
        Append(TcpFlagBits.Urg, "URG");
        Append(TcpFlagBits.Ece, "ECE");
        Append(TcpFlagBits.Cwr, "CWR");
        Append(TcpFlagBits.Ns, "NS");
        return text.ToString();

        void Append(TcpFlagBits bit, string name)
        {
            if ((flags & bit) != 0)
            {
                text.Append(text.Length == 0 ? name : ", " + name);
            }
        }
    }

    private static Layer4? ToLayer4(in FlowEvent e)
    {
        switch (e.Protocol)
        {
            case 6:
                var tcp = new TCP { SourcePort = e.SourcePort, DestinationPort = e.DestinationPort };
                if (e.TcpFlags != TcpFlagBits.None)
                {
                    tcp.Flags = new TCPFlags
                    {
                        FIN = (e.TcpFlags & TcpFlagBits.Fin) != 0,
                        SYN = (e.TcpFlags & TcpFlagBits.Syn) != 0,
                        RST = (e.TcpFlags & TcpFlagBits.Rst) != 0,
                        PSH = (e.TcpFlags & TcpFlagBits.Psh) != 0,
                        ACK = (e.TcpFlags & TcpFlagBits.Ack) != 0,
                        URG = (e.TcpFlags & TcpFlagBits.Urg) != 0,
                        ECE = (e.TcpFlags & TcpFlagBits.Ece) != 0,
                        CWR = (e.TcpFlags & TcpFlagBits.Cwr) != 0,
                        NS = (e.TcpFlags & TcpFlagBits.Ns) != 0,
                    };
                }

                return new Layer4 { TCP = tcp };
            case 17:
                return new Layer4 { UDP = new UDP { SourcePort = e.SourcePort, DestinationPort = e.DestinationPort } };
            case 132:
                return new Layer4 { SCTP = new SCTP { SourcePort = e.SourcePort, DestinationPort = e.DestinationPort } };
            case 1 when e.IpVersion == 4:
                return new Layer4 { ICMPv4 = new ICMPv4 { Type = e.IcmpType, Code = e.IcmpCode } };
            case 58 when e.IpVersion == 6:
                return new Layer4 { ICMPv6 = new ICMPv6 { Type = e.IcmpType, Code = e.IcmpCode } };
            default:
                return null;
        }
    }

    private static Endpoint ToEndpoint(EndpointView? view, uint identity)
    {
        if (view is null)
        {
            return new Endpoint { Identity = identity };
        }

        return view.Identity == identity ? Endpoints.GetValue(view, v => BuildEndpoint(v, v.Identity)) : BuildEndpoint(view, identity);
    }

    private static Endpoint BuildEndpoint(EndpointView view, uint identity)
    {

        var endpoint = new Endpoint
        {
            ID = view.EndpointId,
            Identity = identity,
            Namespace = view.Namespace,
            PodName = view.Name,
        };
        endpoint.Labels.AddRange(view.Labels);
        return endpoint;
    }

    /// <summary>
    /// Fills egress/ingress_allowed_by or _denied_by. Hubble reports the policies on the verdict they
    /// produced: a forwarded flow names what allowed it, a dropped or audited one what denied (or would
    /// have denied) it. Replies are not policy decisions (conntrack passes them without a lookup), so they
    /// name no policy: the reference they carry is their flow's, and for an audited flow that is the deny
    /// which would have dropped it, which must not appear as "allowed by".
    /// </summary>
    private static void AddPolicies(Flow flow, in FlowEvent e)
    {
        if (e.Policies is null || e.Direction == TrafficDirection.Unknown || e.Reply == ReplyState.Reply)
        {
            return;
        }

        bool denied = e.Verdict is Verdict.Dropped or Verdict.Audit;
        var target = (e.Direction, denied) switch
        {
            (TrafficDirection.Ingress, false) => flow.IngressAllowedBy,
            (TrafficDirection.Ingress, true) => flow.IngressDeniedBy,
            (_, false) => flow.EgressAllowedBy,
            (_, true) => flow.EgressDeniedBy,
        };
        target.AddRange(PolicyMessages.GetValue(e.Policies, info => [.. info.Policies.Select(policy =>
        {
            var message = new Policy
            {
                Name = policy.Name,
                Namespace = policy.Namespace,
                Kind = policy.Kind,
                Revision = policy.Revision,
            };
            message.Labels.AddRange(policy.Labels);
            return message;
        })]));
    }
}
