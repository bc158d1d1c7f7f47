using System.Net;
using Sluice.Api.Flow;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Tests;

/// <summary>Hand-built flow events and an enricher describing a small shop topology.</summary>
internal static class TestFlows
{
    public const long BaseTimeNs = 1_764_246_896_123_456_789; // 2025-11-27T12:34:56.123456789Z

    public static readonly EndpointView Frontend = new(11, 1001, "shop", "frontend", ["k8s:app=frontend", "k8s:io.kubernetes.pod.namespace=shop", "k8s:tier=web"]);
    public static readonly EndpointView Api = new(12, 1002, "shop", "api", ["k8s:app=api", "k8s:io.kubernetes.pod.namespace=shop"]);

    public static readonly PolicyName AllowFrontend = new("allow-frontend", "shop", "CiliumNetworkPolicy", 7, ["k8s:io.cilium.k8s.policy.name=allow-frontend"]);

    public static InMemoryFlowEnricher Enricher()
    {
        var enricher = new InMemoryFlowEnricher();
        enricher.AddEndpoint(Frontend, [IPAddress.Parse("10.10.0.2"), IPAddress.Parse("fd00::2")], 21, "veth-frontend");
        enricher.AddEndpoint(Api, [IPAddress.Parse("10.10.0.3"), IPAddress.Parse("fd00::3")], 22, "veth-api");
        enricher.AddPolicyRef(new PolicyRefInfo(5, [AllowFrontend]));
        return enricher;
    }

    /// <summary>frontend:40000 → api:8080 TCP SYN, allowed on api's ingress by policy ref 5.</summary>
    public static FlowEvent NewTcp(long timeNs = BaseTimeNs) => new()
    {
        TimestampUnixNs = timeNs,
        Sequence = 1,
        Kind = FlowEventKind.PolicyVerdict,
        Verdict = Verdict.Forwarded,
        Direction = TrafficDirection.Ingress,
        Reply = ReplyState.Request,
        IpVersion = 4,
        Protocol = 6,
        PolicyMatchType = 2,
        TcpFlags = TcpFlagBits.Syn,
        SourceAddress = IpAddress16.FromIPAddress(IPAddress.Parse("10.10.0.2")),
        DestinationAddress = IpAddress16.FromIPAddress(IPAddress.Parse("10.10.0.3")),
        SourcePort = 40000,
        DestinationPort = 8080,
        EndpointId = 12,
        IfIndex = 22,
        SourceIdentity = 1001,
        DestinationIdentity = 1002,
        PolicyRef = 5,
    };

    /// <summary>world 198.51.100.7 → frontend:22 UDP dropped by default deny (133).</summary>
    public static FlowEvent DroppedUdp(long timeNs = BaseTimeNs) => new()
    {
        TimestampUnixNs = timeNs,
        Sequence = 2,
        Kind = FlowEventKind.Drop,
        Verdict = Verdict.Dropped,
        DropReason = DropReason.PolicyDenied,
        Direction = TrafficDirection.Ingress,
        Reply = ReplyState.Request,
        IpVersion = 4,
        Protocol = 17,
        SourceAddress = IpAddress16.FromIPAddress(IPAddress.Parse("198.51.100.7")),
        DestinationAddress = IpAddress16.FromIPAddress(IPAddress.Parse("10.10.0.2")),
        SourcePort = 5353,
        DestinationPort = 22,
        EndpointId = 11,
        IfIndex = 21,
        SourceIdentity = ReservedIdentities.World,
        DestinationIdentity = 1001,
    };

    /// <summary>api → frontend SYN-ACK reply over IPv6 (trace event on frontend's ingress connection... from api's point of view a reply).</summary>
    public static FlowEvent SynAckReplyV6(long timeNs = BaseTimeNs) => new()
    {
        TimestampUnixNs = timeNs,
        Sequence = 3,
        Kind = FlowEventKind.Trace,
        Verdict = Verdict.Forwarded,
        Direction = TrafficDirection.Ingress,
        Reply = ReplyState.Reply,
        IpVersion = 6,
        Protocol = 6,
        TcpFlags = TcpFlagBits.Syn | TcpFlagBits.Ack,
        SourceAddress = IpAddress16.FromIPAddress(IPAddress.Parse("fd00::3")),
        DestinationAddress = IpAddress16.FromIPAddress(IPAddress.Parse("fd00::2")),
        SourcePort = 8080,
        DestinationPort = 40000,
        EndpointId = 12,
        IfIndex = 22,
        SourceIdentity = 1002,
        DestinationIdentity = 1001,
    };

    /// <summary>frontend pings world, ICMPv4 echo request on egress.</summary>
    public static FlowEvent PingWorld(long timeNs = BaseTimeNs) => new()
    {
        TimestampUnixNs = timeNs,
        Sequence = 4,
        Kind = FlowEventKind.PolicyVerdict,
        Verdict = Verdict.Audit,
        DropReason = DropReason.PolicyDenied,
        Direction = TrafficDirection.Egress,
        Reply = ReplyState.Request,
        IpVersion = 4,
        Protocol = 1,
        IcmpType = 8,
        SourceAddress = IpAddress16.FromIPAddress(IPAddress.Parse("10.10.0.2")),
        DestinationAddress = IpAddress16.FromIPAddress(IPAddress.Parse("192.0.2.1")),
        EndpointId = 11,
        IfIndex = 21,
        SourceIdentity = 1001,
        DestinationIdentity = ReservedIdentities.World,
    };

    public static FlowEvent Enriched(FlowEvent flow)
    {
        FlowEnrichment.Enrich(ref flow, Enricher());
        return flow;
    }
}
