using System.Buffers;
using System.Globalization;
using System.Text;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Sluice.Api.Flow;
using Sluice.Api.Observer;

namespace Sluice.FlowExporter.Formatting;

/// <summary>
/// Writes the Hubble JSON line for the flows Sluice produces without Google.Protobuf's reflection-based
/// JsonFormatter, which costs about 7 µs per flow. It covers exactly the fields <see cref="FlowProtoConverter"/>
/// fills, in the formatter's field-number order with its number, enum and timestamp spellings; anything
/// else (L7, services, tunnel, unknown enum values, strings that need escaping) makes it decline so the
/// caller falls back to the formatter. A differential test holds the two outputs equal.
/// </summary>
internal static class FastFlowJsonWriter
{
    private static readonly Dictionary<DropReason, string> DropReasonNames = EnumNames<DropReason>(FlowReflection.Descriptor);
    private static readonly Dictionary<TraceObservationPoint, string> PointNames = EnumNames<TraceObservationPoint>(FlowReflection.Descriptor);
    private static readonly Dictionary<TraceReason, string> ReasonNames = EnumNames<TraceReason>(FlowReflection.Descriptor);

    /// <summary>The compact line for <paramref name="response"/>, or null when a field is outside the fast path.</summary>
    public static string? TryFormat(GetFlowsResponse response)
    {
        var flow = response.Flow;
        if (flow is null || !Supported(flow) || !Plain(response.NodeName))
        {
            return null;
        }

        var text = new StringBuilder(1024);
        text.Append("{\"flow\":{");
        bool first = true;
        if (flow.Time is { } time)
        {
            Name(text, ref first, "time").Append('"').Append(TimestampText(time)).Append('"');
        }

        if (flow.Verdict != Verdict.Unknown)
        {
            Name(text, ref first, "verdict").Append('"').Append(CompactFormatter.VerdictName(flow.Verdict)).Append('"');
        }

#pragma warning disable CS0612 // deprecated upstream fields are still written, as the formatter does.
        if (flow.DropReason != 0)
        {
            Name(text, ref first, "drop_reason").Append(flow.DropReason);
        }
#pragma warning restore CS0612

        if (flow.IP is { } ip)
        {
            Name(text, ref first, "IP").Append('{');
            bool inner = true;
            String(text, ref inner, "source", ip.Source);
            String(text, ref inner, "destination", ip.Destination);
            if (ip.IpVersion != IPVersion.IpNotUsed)
            {
                Name(text, ref inner, "ipVersion").Append(ip.IpVersion == IPVersion.Ipv4 ? "\"IPv4\"" : "\"IPv6\"");
            }

            if (ip.Encrypted)
            {
                Name(text, ref inner, "encrypted").Append("true");
            }

            String(text, ref inner, "source_xlated", ip.SourceXlated);
            text.Append('}');
        }

        if (flow.L4 is { } l4)
        {
            Name(text, ref first, "l4").Append('{');
            switch (l4.ProtocolCase)
            {
                case Layer4.ProtocolOneofCase.TCP:
                    text.Append("\"TCP\":{");
                    bool tcp = true;
                    Number(text, ref tcp, "source_port", l4.TCP.SourcePort);
                    Number(text, ref tcp, "destination_port", l4.TCP.DestinationPort);
                    if (l4.TCP.Flags is { } flags)
                    {
                        Name(text, ref tcp, "flags").Append('{');
                        bool f = true;
                        Flag(text, ref f, "FIN", flags.FIN);
                        Flag(text, ref f, "SYN", flags.SYN);
                        Flag(text, ref f, "RST", flags.RST);
                        Flag(text, ref f, "PSH", flags.PSH);
                        Flag(text, ref f, "ACK", flags.ACK);
                        Flag(text, ref f, "URG", flags.URG);
                        Flag(text, ref f, "ECE", flags.ECE);
                        Flag(text, ref f, "CWR", flags.CWR);
                        Flag(text, ref f, "NS", flags.NS);
                        text.Append('}');
                    }

                    text.Append('}');
                    break;
                case Layer4.ProtocolOneofCase.UDP:
                    Ports(text, "UDP", l4.UDP.SourcePort, l4.UDP.DestinationPort);
                    break;
                case Layer4.ProtocolOneofCase.SCTP:
                    Ports(text, "SCTP", l4.SCTP.SourcePort, l4.SCTP.DestinationPort);
                    break;
                case Layer4.ProtocolOneofCase.ICMPv4:
                    Icmp(text, "ICMPv4", l4.ICMPv4.Type, l4.ICMPv4.Code);
                    break;
                case Layer4.ProtocolOneofCase.ICMPv6:
                    Icmp(text, "ICMPv6", l4.ICMPv6.Type, l4.ICMPv6.Code);
                    break;
            }

            text.Append('}');
        }

        WriteEndpoint(text, ref first, "source", flow.Source);
        WriteEndpoint(text, ref first, "destination", flow.Destination);
        if (flow.Type != FlowType.UnknownType)
        {
            Name(text, ref first, "Type").Append(flow.Type == FlowType.L3L4 ? "\"L3_L4\"" : flow.Type == FlowType.L7 ? "\"L7\"" : "\"SOCK\"");
        }

        String(text, ref first, "node_name", flow.NodeName);
#pragma warning disable CS0612
        if (flow.Reply)
        {
            Name(text, ref first, "reply").Append("true");
        }
#pragma warning restore CS0612

        if (flow.EventType is { } eventType)
        {
            Name(text, ref first, "event_type").Append('{');
            bool inner = true;
            Number(text, ref inner, "type", eventType.Type);
            Number(text, ref inner, "sub_type", eventType.SubType);
            text.Append('}');
        }

        if (flow.TrafficDirection != TrafficDirection.Unknown)
        {
            Name(text, ref first, "traffic_direction").Append('"').Append(CompactFormatter.DirectionName(flow.TrafficDirection)).Append('"');
        }

        Number(text, ref first, "policy_match_type", flow.PolicyMatchType);
        if (flow.TraceObservationPoint != TraceObservationPoint.UnknownPoint)
        {
            Name(text, ref first, "trace_observation_point").Append('"').Append(PointNames[flow.TraceObservationPoint]).Append('"');
        }

        if (flow.DropReasonDesc != DropReason.Unknown)
        {
            Name(text, ref first, "drop_reason_desc").Append('"').Append(DropReasonNames[flow.DropReasonDesc]).Append('"');
        }

        if (flow.IsReply is { } isReply)
        {
            Name(text, ref first, "is_reply").Append(isReply ? "true" : "false");
        }

        if (flow.Interface is { } nic)
        {
            Name(text, ref first, "interface").Append('{');
            bool inner = true;
            Number(text, ref inner, "index", nic.Index);
            String(text, ref inner, "name", nic.Name);
            text.Append('}');
        }

        String(text, ref first, "uuid", flow.Uuid);
        if (flow.TraceReason != TraceReason.Unknown)
        {
            Name(text, ref first, "trace_reason").Append('"').Append(ReasonNames[flow.TraceReason]).Append('"');
        }

        if (flow.Emitter is { } emitter)
        {
            Name(text, ref first, "emitter").Append('{');
            bool inner = true;
            String(text, ref inner, "name", emitter.Name);
            String(text, ref inner, "version", emitter.Version);
            text.Append('}');
        }

        Policies(text, ref first, "egress_allowed_by", flow.EgressAllowedBy);
        Policies(text, ref first, "ingress_allowed_by", flow.IngressAllowedBy);
        Policies(text, ref first, "egress_denied_by", flow.EgressDeniedBy);
        Policies(text, ref first, "ingress_denied_by", flow.IngressDeniedBy);
#pragma warning disable CS0612
        String(text, ref first, "Summary", flow.Summary);
#pragma warning restore CS0612
        text.Append('}');
        if (response.NodeName.Length != 0)
        {
            text.Append(",\"node_name\":\"").Append(response.NodeName).Append('"');
        }

        if (response.Time is { } responseTime)
        {
            text.Append(",\"time\":\"").Append(TimestampText(responseTime)).Append('"');
        }

        return text.Append('}').ToString();
    }

    // Only the fields FlowProtoConverter sets, with values whose spelling this writer knows.
    private static bool Supported(Flow flow)
    {
#pragma warning disable CS0612
        bool simple = flow.Ethernet is null && flow.Tunnel is null && flow.L7 is null && flow.SourceService is null
            && flow.DestinationService is null && flow.SourceNames.Count == 0 && flow.DestinationNames.Count == 0
            && flow.NodeLabels.Count == 0 && flow.PolicyLog.Count == 0 && flow.Aggregate is null && flow.File is null
            && flow.IpTraceId is null && flow.TraceContext is null && flow.Extensions is null && flow.AuthType == AuthType.Disabled
            && flow.DebugCapturePoint == DebugCapturePoint.DbgCapturePointUnknown && flow.ProxyPort == 0
            && flow.SockXlatePoint == SocketTranslationPoint.SockXlatePointUnknown && flow.SocketCookie == 0 && flow.CgroupId == 0
            && (flow.L4 is null || flow.L4.ProtocolCase is not (Layer4.ProtocolOneofCase.VRRP or Layer4.ProtocolOneofCase.IGMP or Layer4.ProtocolOneofCase.None))
            && System.Enum.IsDefined(flow.Verdict) && System.Enum.IsDefined(flow.TrafficDirection) && System.Enum.IsDefined(flow.IP?.IpVersion ?? IPVersion.IpNotUsed)
            && PointNames.ContainsKey(flow.TraceObservationPoint) && ReasonNames.ContainsKey(flow.TraceReason)
            && DropReasonNames.ContainsKey(flow.DropReasonDesc) && System.Enum.IsDefined(flow.Type)
            && Plain(flow.Uuid) && Plain(flow.NodeName) && Plain(flow.Summary)
            && (flow.IP is null || (Plain(flow.IP.Source) && Plain(flow.IP.Destination) && Plain(flow.IP.SourceXlated)))
            && (flow.Interface is null || Plain(flow.Interface.Name))
            && (flow.Emitter is null || (Plain(flow.Emitter.Name) && Plain(flow.Emitter.Version)))
            && PlainEndpoint(flow.Source) && PlainEndpoint(flow.Destination)
            && PlainPolicies(flow.EgressAllowedBy) && PlainPolicies(flow.IngressAllowedBy)
            && PlainPolicies(flow.EgressDeniedBy) && PlainPolicies(flow.IngressDeniedBy);
#pragma warning restore CS0612
        return simple;
    }

    private static bool PlainEndpoint(Endpoint? endpoint) =>
        endpoint is null || (endpoint.Workloads.Count == 0 && Plain(endpoint.Namespace) && Plain(endpoint.PodName)
            && Plain(endpoint.ClusterName) && endpoint.Labels.All(Plain));

    private static bool PlainPolicies(IEnumerable<Policy> policies) =>
        policies.All(p => Plain(p.Name) && Plain(p.Namespace) && Plain(p.Kind) && p.Labels.All(Plain));

    private static readonly SearchValues<char> Unsafe = SearchValues.Create("\"\\<>&'+");

    // Printable ASCII that no JSON writer escapes, so the text is copied verbatim.
    private static bool Plain(string value)
    {
        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
        }

        return value.AsSpan().IndexOfAny(Unsafe) < 0;
    }

    private static StringBuilder Name(StringBuilder text, ref bool first, string name)
    {
        if (!first)
        {
            text.Append(',');
        }

        first = false;
        return text.Append('"').Append(name).Append("\":");
    }

    private static void String(StringBuilder text, ref bool first, string name, string value)
    {
        if (value.Length != 0)
        {
            Name(text, ref first, name).Append('"').Append(value).Append('"');
        }
    }

    private static void Number(StringBuilder text, ref bool first, string name, long value)
    {
        if (value != 0)
        {
            Name(text, ref first, name).Append(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void Flag(StringBuilder text, ref bool first, string name, bool value)
    {
        if (value)
        {
            Name(text, ref first, name).Append("true");
        }
    }

    private static void Ports(StringBuilder text, string name, uint source, uint destination)
    {
        text.Append('"').Append(name).Append("\":{");
        bool inner = true;
        Number(text, ref inner, "source_port", source);
        Number(text, ref inner, "destination_port", destination);
        text.Append('}');
    }

    private static void Icmp(StringBuilder text, string name, uint type, uint code)
    {
        text.Append('"').Append(name).Append("\":{");
        bool inner = true;
        Number(text, ref inner, "type", type);
        Number(text, ref inner, "code", code);
        text.Append('}');
    }

    private static void WriteEndpoint(StringBuilder text, ref bool first, string name, Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return;
        }

        Name(text, ref first, name).Append('{');
        bool inner = true;
        Number(text, ref inner, "ID", endpoint.ID);
        Number(text, ref inner, "identity", endpoint.Identity);
        String(text, ref inner, "namespace", endpoint.Namespace);
        Strings(text, ref inner, "labels", endpoint.Labels);
        String(text, ref inner, "pod_name", endpoint.PodName);
        String(text, ref inner, "cluster_name", endpoint.ClusterName);
        text.Append('}');
    }

    private static void Strings(StringBuilder text, ref bool first, string name, Google.Protobuf.Collections.RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        Name(text, ref first, name).Append('[');
        for (int i = 0; i < values.Count; i++)
        {
            text.Append(i == 0 ? "\"" : ",\"").Append(values[i]).Append('"');
        }

        text.Append(']');
    }

    private static void Policies(StringBuilder text, ref bool first, string name, Google.Protobuf.Collections.RepeatedField<Policy> policies)
    {
        if (policies.Count == 0)
        {
            return;
        }

        Name(text, ref first, name).Append('[');
        for (int i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            text.Append(i == 0 ? "{" : ",{");
            bool inner = true;
            String(text, ref inner, "name", policy.Name);
            String(text, ref inner, "namespace", policy.Namespace);
            Strings(text, ref inner, "labels", policy.Labels);
            if (policy.Revision != 0)
            {
                Name(text, ref inner, "revision").Append('"').Append(policy.Revision.ToString(CultureInfo.InvariantCulture)).Append('"');
            }

            String(text, ref inner, "kind", policy.Kind);
            text.Append('}');
        }

        text.Append(']');
    }

    /// <summary>RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as proto3 JSON prescribes.</summary>
    private static string TimestampText(Timestamp time)
    {
        var dateTime = DateTimeOffset.FromUnixTimeSeconds(time.Seconds).UtcDateTime;
        string text = dateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        int nanos = time.Nanos;
        string fraction = nanos == 0 ? string.Empty
            : nanos % 1_000_000 == 0 ? "." + (nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
            : nanos % 1_000 == 0 ? "." + (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture)
            : "." + nanos.ToString("D9", CultureInfo.InvariantCulture);
        return text + fraction + "Z";
    }

    private static Dictionary<T, string> EnumNames<T>(FileDescriptor file)
        where T : struct, System.Enum
    {
        var descriptor = file.EnumTypes.Single(e => e.ClrType == typeof(T));
        return descriptor.Values.ToDictionary(v => (T)(object)v.Number, v => v.Name);
    }
}
