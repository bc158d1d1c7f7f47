using System.Globalization;
using Sluice.Api.Flow;

namespace Sluice.Cli.Daemon;

/// <summary>
/// One flow as a line in the shape of <c>hubble observe -o compact</c>:
/// <c>TIME: SRC -> DST TYPE VERDICT (SUMMARY)</c>, where a side is <c>namespace/name:port (ID:identity)</c>
/// for endpoints and <c>address:port (labels)</c> otherwise.
/// </summary>
internal static class CompactFlowLine
{
    /// <summary>Formats <paramref name="flow"/>.</summary>
    public static string Format(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var time = flow.Time?.ToDateTime().ToLocalTime().ToString("MMM dd HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-";
        var (sourcePort, destinationPort) = Ports(flow.L4);
        string source = Side(flow.Source, flow.IP?.Source, sourcePort);
        string destination = Side(flow.Destination, flow.IP?.Destination, destinationPort);
        string arrow = flow.IsReply is true ? "<-" : "->";
        if (flow.IsReply is true)
        {
            (source, destination) = (destination, source);
        }

        string type = flow.EventType?.Type switch
        {
            1 => Words(flow.DropReasonDesc.ToString(), " "),
            5 => $"policy-verdict:{MatchName(flow.PolicyMatchType)} {flow.TrafficDirection.ToString().ToUpperInvariant()}",
            4 => Words(flow.TraceObservationPoint.ToString(), "-").ToLowerInvariant(),
            _ => flow.Type.ToString(),
        };
#pragma warning disable CS0612 // Summary is deprecated in flow.proto, yet it is what hubble's compact line prints.
        string summary = flow.Summary;
#pragma warning restore CS0612
        return $"{time}: {source} {arrow} {destination} {type} {flow.Verdict.ToString().ToUpperInvariant()} ({summary})";
    }

    /// <summary>A C# enum name split into words as Hubble prints it: PolicyDenied → "Policy denied", ToEndpoint → "to-endpoint".</summary>
    private static string Words(string pascal, string separator)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1]))
            {
                sb.Append(separator).Append(separator == " " ? char.ToLowerInvariant(pascal[i]) : pascal[i]);
            }
            else
            {
                sb.Append(pascal[i]);
            }
        }

        return sb.ToString();
    }

    private static string Side(Endpoint? endpoint, string? address, uint port)
    {
        string portText = port == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $":{port}");
        if (endpoint is { PodName.Length: > 0 })
        {
            return string.Create(CultureInfo.InvariantCulture, $"{endpoint.Namespace}/{endpoint.PodName}{portText} (ID:{endpoint.Identity})");
        }

        string host = address is not null && address.Contains(':', StringComparison.Ordinal) && port != 0 ? $"[{address}]" : address ?? "?";
        string labels = endpoint is null ? string.Empty : string.Join(",", endpoint.Labels.Where(l => l.StartsWith("reserved:", StringComparison.Ordinal)).Select(l => l[9..]));
        return labels.Length > 0 ? $"{host}{portText} ({labels})" : string.Create(CultureInfo.InvariantCulture, $"{host}{portText} (ID:{endpoint?.Identity ?? 0})");
    }

    private static (uint Source, uint Destination) Ports(Layer4? l4) => l4?.ProtocolCase switch
    {
        Layer4.ProtocolOneofCase.TCP => (l4.TCP.SourcePort, l4.TCP.DestinationPort),
        Layer4.ProtocolOneofCase.UDP => (l4.UDP.SourcePort, l4.UDP.DestinationPort),
        Layer4.ProtocolOneofCase.SCTP => (l4.SCTP.SourcePort, l4.SCTP.DestinationPort),
        _ => (0, 0),
    };

    private static string MatchName(uint match) => match switch
    {
        0 => "none",
        1 => "L3-Only",
        2 => "L3-L4",
        3 => "L4-Only",
        4 => "all",
        _ => match.ToString(CultureInfo.InvariantCulture),
    };
}
