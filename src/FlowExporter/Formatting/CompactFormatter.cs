using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Sluice.Api.Flow;

namespace Sluice.FlowExporter.Formatting;

/// <summary>
/// Formats a flow as hubble's compact line (hubble/pkg/printer, compact output):
/// <c>TIME[ [NODE]]: SRC SRC_ID ARROW DST DST_ID TYPE VERDICT (SUMMARY)</c>. Reply packets are printed
/// with the columns swapped and a <c>&lt;-</c> arrow so the initiator is always on the left; <c>&lt;&gt;</c>
/// marks an unknown direction.
/// </summary>
public static class CompactFormatter
{
    /// <summary>Formats one flow.</summary>
    /// <param name="flow">The flow.</param>
    /// <param name="timeZone">Zone for the timestamp; hubble prints local time, null means <see cref="TimeZoneInfo.Local"/>.</param>
    /// <param name="printNodeName">Add " [node]" after the time, as <c>--print-node-name</c> does.</param>
    public static string Format(Flow flow, TimeZoneInfo? timeZone = null, bool printNodeName = false)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var (source, destination) = HostNames(flow);
        string sourceIdentity = IdentityText(flow.Source?.Identity ?? 0);
        string destinationIdentity = IdentityText(flow.Destination?.Identity ?? 0);
        string arrow = "->";
        if (flow.IsReply is null)
        {
            arrow = "<>";
        }
        else if (flow.IsReply.Value)
        {
            (source, destination) = (destination, source);
            (sourceIdentity, destinationIdentity) = (destinationIdentity, sourceIdentity);
            arrow = "<-";
        }

        string node = printNodeName ? $" [{flow.NodeName}]" : string.Empty;
        return $"{TimeText(flow.Time, timeZone)}{node}: {source} {sourceIdentity} {arrow} {destination} {destinationIdentity} {TypeText(flow)} {VerdictText(flow)} ({SummaryText(flow)})";
    }

    /// <summary>Go's StampMilli layout ("Jan _2 15:04:05.000"), or "N/A" for a missing time.</summary>
    public static string TimeText(Timestamp? time, TimeZoneInfo? timeZone = null)
    {
        if (time is null || time.Seconds < -62135596800L || time.Seconds > 253402300799L
            || time.Nanos < 0 || time.Nanos >= 1_000_000_000)
        {
            return "N/A";
        }

        var local = TimeZoneInfo.ConvertTime(time.ToDateTimeOffset(), timeZone ?? TimeZoneInfo.Local);
        return string.Create(CultureInfo.InvariantCulture, $"{local:MMM} {local.Day,2} {local:HH:mm:ss.fff}");
    }

    /// <summary>"(ID:12345)" or the reserved name in parentheses ("(world)", "(host)", "(unknown)").</summary>
    public static string IdentityText(uint identity)
    {
        string? reserved = Enrichment.ReservedIdentities.NameOf(identity);
        return reserved is not null ? $"({reserved})" : string.Create(CultureInfo.InvariantCulture, $"(ID:{identity})");
    }

    /// <summary>The TYPE column: trace point, drop reason text or "policy-verdict:MATCH DIRECTION".</summary>
    public static string TypeText(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (flow.L7 is not null)
        {
            string l7Type = flow.L7.Type.ToString().ToLowerInvariant();
            return flow.L7.RecordCase switch
            {
                Layer7.RecordOneofCase.Http => "http-" + l7Type,
                Layer7.RecordOneofCase.Dns => "dns-" + l7Type + " " + flow.L7.Dns.ObservationSource,
                Layer7.RecordOneofCase.Kafka => "kafka-" + l7Type,
                _ => "l7-" + l7Type,
            };
        }

        return flow.EventType?.Type switch
        {
            HubbleNames.MessageTypeTrace => HubbleNames.TracePointName(flow.EventType.SubType),
            HubbleNames.MessageTypeDrop => HubbleNames.DropReasonText(flow.EventType.SubType),
            HubbleNames.MessageTypePolicyVerdict =>
                $"policy-verdict:{HubbleNames.PolicyMatchTypeName(flow.PolicyMatchType)} {DirectionName(flow.TrafficDirection)}",
            _ => "UNKNOWN",
        };
    }

    /// <summary>The VERDICT column; policy-verdict events say ALLOWED, DENIED or AUDITED.</summary>
    public static string VerdictText(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        bool policyVerdict = flow.EventType?.Type == HubbleNames.MessageTypePolicyVerdict;
        return flow.Verdict switch
        {
            Verdict.Forwarded or Verdict.Redirected when policyVerdict => "ALLOWED",
            Verdict.Dropped or Verdict.Error when policyVerdict => "DENIED",
            Verdict.Audit when policyVerdict => "AUDITED",
            _ => VerdictName(flow.Verdict),
        };
    }

    /// <summary>The proto enum name of a verdict ("FORWARDED").</summary>
    public static string VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.Unknown => "VERDICT_UNKNOWN",
        Verdict.Forwarded => "FORWARDED",
        Verdict.Dropped => "DROPPED",
        Verdict.Error => "ERROR",
        Verdict.Audit => "AUDIT",
        Verdict.Redirected => "REDIRECTED",
        Verdict.Traced => "TRACED",
        Verdict.Translated => "TRANSLATED",
        _ => ((int)verdict).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The proto enum name of a direction ("INGRESS").</summary>
    public static string DirectionName(TrafficDirection direction) => direction switch
    {
        TrafficDirection.Ingress => "INGRESS",
        TrafficDirection.Egress => "EGRESS",
        _ => "TRAFFIC_DIRECTION_UNKNOWN",
    };

    private static string SummaryText(Flow flow)
    {
        string summary = string.Empty;
        if (flow.IpTraceId is { TraceId: > 0 })
        {
            summary = string.Create(CultureInfo.InvariantCulture, $"IP Trace ID: {flow.IpTraceId.TraceId}; ");
        }

#pragma warning disable CS0612 // Summary is deprecated upstream; hubble still prints it.
        summary += flow.Summary;
#pragma warning restore CS0612
        if (flow.AuthType != AuthType.Disabled)
        {
            summary += "; " + (flow.AuthType == AuthType.Spire ? "SPIRE" : "TEST_ALWAYS_FAIL");
        }

        return summary;
    }

    private static (string Source, string Destination) HostNames(Flow flow)
    {
        if (flow.IP is null)
        {
            return flow.Ethernet is not null ? (flow.Ethernet.Source, flow.Ethernet.Destination) : (string.Empty, string.Empty);
        }

        var (sourcePort, destinationPort) = Ports(flow.L4);
        string source = HostName(flow.IP.Source, sourcePort, flow.SourceService?.Namespace ?? flow.Source?.Namespace ?? string.Empty,
            flow.Source?.PodName ?? string.Empty, flow.SourceService?.Name ?? string.Empty, flow.SourceNames);
        string destination = HostName(flow.IP.Destination, destinationPort, flow.DestinationService?.Namespace ?? flow.Destination?.Namespace ?? string.Empty,
            flow.Destination?.PodName ?? string.Empty, flow.DestinationService?.Name ?? string.Empty, flow.DestinationNames);
        return (source, destination);
    }

    /// <summary>
    /// "namespace/pod:port", else "namespace/service:port", else comma-joined DNS names, else the IP;
    /// IPv6 hosts are bracketed when a port follows; a zero or missing port is left out.
    /// </summary>
    public static string HostName(string ip, string port, string namespaceName, string pod, string service, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        string host = ip;
        if (pod.Length != 0)
        {
            host = namespaceName.Length != 0 ? namespaceName + "/" + pod : pod;
        }
        else if (service.Length != 0)
        {
            host = namespaceName.Length != 0 ? namespaceName + "/" + service : service;
        }
        else if (names.Any())
        {
            host = string.Join(",", names);
        }

        if (port.Length == 0 || port == "0")
        {
            return host;
        }

        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    private static (string Source, string Destination) Ports(Layer4? l4) => l4?.ProtocolCase switch
    {
        Layer4.ProtocolOneofCase.TCP => (Text(l4.TCP.SourcePort), Text(l4.TCP.DestinationPort)),
        Layer4.ProtocolOneofCase.UDP => (Text(l4.UDP.SourcePort), Text(l4.UDP.DestinationPort)),
        Layer4.ProtocolOneofCase.SCTP => (Text(l4.SCTP.SourcePort), Text(l4.SCTP.DestinationPort)),
        _ => (string.Empty, string.Empty),
    };

    private static string Text(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
