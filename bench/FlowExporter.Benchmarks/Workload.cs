using System.Net;
using Sluice.Api.Flow;
using FlowRecord = Sluice.Bpf.Abi.FlowRecord;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Benchmarks;

/// <summary>
/// A mix of kernel flow records as the datapath emits them (new connections, TCP flag changes, drops,
/// reports; IPv4 and IPv6; 64 endpoints talking to each other and to the world) and the matching enricher.
/// </summary>
internal static class Workload
{
    public const int Endpoints = 64;

    public static InMemoryFlowEnricher Enricher()
    {
        var enricher = new InMemoryFlowEnricher();
        for (uint i = 1; i <= Endpoints; i++)
        {
            var view = new EndpointView(i, 1000 + i, $"ns{i % 4}", $"pod-{i}", [$"k8s:app=app{i}", $"k8s:io.kubernetes.pod.namespace=ns{i % 4}"]);
            enricher.AddEndpoint(view, [V4(i), V6(i)], 100 + i, $"veth{i}");
            enricher.AddPolicyRef(new PolicyRefInfo(i, [new PolicyName($"policy-{i}", $"ns{i % 4}", "CiliumNetworkPolicy", 1, [])]));
        }

        return enricher;
    }

    /// <summary><paramref name="count"/> records, back to back at <see cref="FlowRecord.Size"/> stride.</summary>
    public static byte[] Records(int count, long unixOffsetNs)
    {
        var buffer = new byte[count * FlowRecord.Size];
        long now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        for (int i = 0; i < count; i++)
        {
            var flow = Event(i, now + i);
            FlowRecordEncoder.Encode(flow, unixOffsetNs, buffer.AsSpan(i * FlowRecord.Size, FlowRecord.Size));
        }

        return buffer;
    }

    private static FlowEvent Event(int i, long timeNs)
    {
        uint local = (uint)(i % Endpoints) + 1;
        uint peer = (uint)((i * 7) % Endpoints) + 1;
        bool v6 = i % 4 == 3;
        bool world = i % 10 == 0;
        var kind = (i % 8) switch
        {
            0 or 1 or 2 => FlowEventKind.PolicyVerdict,
            3 or 4 => FlowEventKind.Trace,
            5 or 6 => FlowEventKind.Drop,
            _ => FlowEventKind.Report,
        };
        return new FlowEvent
        {
            TimestampUnixNs = timeNs,
            Kind = kind,
            Verdict = kind == FlowEventKind.Drop ? Verdict.Dropped : Verdict.Forwarded,
            DropReason = kind == FlowEventKind.Drop ? (i % 3 == 0 ? DropReason.PolicyDeny : DropReason.PolicyDenied) : DropReason.Unknown,
            Direction = i % 2 == 0 ? TrafficDirection.Ingress : TrafficDirection.Egress,
            Reply = kind == FlowEventKind.Trace && i % 3 == 0 ? ReplyState.Reply : ReplyState.Request,
            IpVersion = v6 ? (byte)6 : (byte)4,
            Protocol = (i % 5) switch { 0 => 17, 1 => v6 ? (byte)58 : (byte)1, _ => 6 },
            TcpFlags = kind == FlowEventKind.Trace ? TcpFlagBits.Syn | TcpFlagBits.Ack : TcpFlagBits.Syn,
            IcmpType = 8,
            PolicyMatchType = 2,
            SourceAddress = IpAddress16.FromIPAddress(world ? IPAddress.Parse("198.51.100.9") : v6 ? V6(peer) : V4(peer)),
            DestinationAddress = IpAddress16.FromIPAddress(v6 ? V6(local) : V4(local)),
            SourcePort = (ushort)(30000 + (i % 20000)),
            DestinationPort = (ushort)(i % 3 == 0 ? 443 : 8080),
            EndpointId = local,
            IfIndex = 100 + local,
            SourceIdentity = world ? ReservedIdentities.World : 1000 + peer,
            DestinationIdentity = 1000 + local,
            PolicyRef = kind == FlowEventKind.PolicyVerdict ? local : 0,
            Packets = kind == FlowEventKind.Report ? 10UL : 0UL,
            Bytes = kind == FlowEventKind.Report ? 15000UL : 0UL,
        };
    }

    private static IPAddress V4(uint i) => IPAddress.Parse($"10.20.{i / 250}.{(i % 250) + 1}");

    private static IPAddress V6(uint i) => IPAddress.Parse($"fd00::{i:x}");
}
