using Google.Protobuf.Reflection;
using Sluice.Api.Flow;
using Sluice.Api.Observer;
using Xunit;

namespace Sluice.FlowExporter.Tests;

/// <summary>
/// The wire contract with Hubble clients: package, message, field and enum names and numbers must stay those
/// of cilium's flow.proto and observer.proto (docs/flows.md). A renumbered field would still compile but
/// break every hubble client, so the numbers are pinned here.
/// </summary>
public class ProtoContractTests
{
    private static readonly IReadOnlyDictionary<string, MessageDescriptor> Messages = new[]
    {
        Flow.Descriptor, Endpoint.Descriptor, Layer4.Descriptor, TCP.Descriptor, IP.Descriptor, FlowFilter.Descriptor,
        LostEvent.Descriptor, Policy.Descriptor, GetFlowsRequest.Descriptor, GetFlowsResponse.Descriptor,
        ServerStatusResponse.Descriptor, Node.Descriptor, Namespace.Descriptor, NetworkInterface.Descriptor,
    }.ToDictionary(d => d.FullName);

    [Theory]
    [InlineData("flow.Flow", "time", 1)]
    [InlineData("flow.Flow", "uuid", 34)]
    [InlineData("flow.Flow", "emitter", 41)]
    [InlineData("flow.Flow", "verdict", 2)]
    [InlineData("flow.Flow", "drop_reason", 3)]
    [InlineData("flow.Flow", "IP", 5)]
    [InlineData("flow.Flow", "l4", 6)]
    [InlineData("flow.Flow", "source", 8)]
    [InlineData("flow.Flow", "destination", 9)]
    [InlineData("flow.Flow", "Type", 10)]
    [InlineData("flow.Flow", "node_name", 11)]
    [InlineData("flow.Flow", "event_type", 19)]
    [InlineData("flow.Flow", "traffic_direction", 22)]
    [InlineData("flow.Flow", "policy_match_type", 23)]
    [InlineData("flow.Flow", "trace_observation_point", 24)]
    [InlineData("flow.Flow", "drop_reason_desc", 25)]
    [InlineData("flow.Flow", "is_reply", 26)]
    [InlineData("flow.Flow", "interface", 28)]
    [InlineData("flow.Flow", "trace_reason", 36)]
    [InlineData("flow.Flow", "Summary", 100000)]
    [InlineData("flow.Flow", "extensions", 150000)]
    [InlineData("flow.Flow", "egress_allowed_by", 21001)]
    [InlineData("flow.Flow", "ingress_allowed_by", 21002)]
    [InlineData("flow.Flow", "egress_denied_by", 21004)]
    [InlineData("flow.Flow", "ingress_denied_by", 21005)]
    [InlineData("flow.Flow", "policy_log", 21006)]
    [InlineData("flow.Flow", "aggregate", 21007)]
    [InlineData("flow.Endpoint", "ID", 1)]
    [InlineData("flow.Endpoint", "cluster_name", 7)]
    [InlineData("flow.Endpoint", "pod_name", 5)]
    [InlineData("flow.Layer4", "SCTP", 5)]
    [InlineData("flow.Layer4", "IGMP", 7)]
    [InlineData("flow.TCP", "flags", 3)]
    [InlineData("flow.IP", "ipVersion", 3)]
    [InlineData("flow.IP", "source_xlated", 5)]
    [InlineData("flow.FlowFilter", "uuid", 29)]
    [InlineData("flow.FlowFilter", "source_label", 10)]
    [InlineData("flow.FlowFilter", "traffic_direction", 30)]
    [InlineData("flow.FlowFilter", "drop_reason_desc", 33)]
    [InlineData("flow.FlowFilter", "interface", 35)]
    [InlineData("flow.FlowFilter", "node_labels", 36)]
    [InlineData("flow.FlowFilter", "encrypted", 40)]
    [InlineData("flow.FlowFilter", "experimental", 999)]
    [InlineData("flow.LostEvent", "cpu", 3)]
    [InlineData("flow.LostEvent", "last", 5)]
    [InlineData("flow.Policy", "kind", 5)]
    [InlineData("flow.NetworkInterface", "name", 2)]
    [InlineData("observer.GetFlowsRequest", "number", 1)]
    [InlineData("observer.GetFlowsRequest", "follow", 3)]
    [InlineData("observer.GetFlowsRequest", "blacklist", 5)]
    [InlineData("observer.GetFlowsRequest", "whitelist", 6)]
    [InlineData("observer.GetFlowsRequest", "since", 7)]
    [InlineData("observer.GetFlowsRequest", "until", 8)]
    [InlineData("observer.GetFlowsRequest", "first", 9)]
    [InlineData("observer.GetFlowsRequest", "field_mask", 10)]
    [InlineData("observer.GetFlowsRequest", "experimental", 999)]
    [InlineData("observer.GetFlowsRequest", "extensions", 150000)]
    [InlineData("observer.GetFlowsResponse", "flow", 1)]
    [InlineData("observer.GetFlowsResponse", "node_status", 2)]
    [InlineData("observer.GetFlowsResponse", "lost_events", 3)]
    [InlineData("observer.GetFlowsResponse", "node_name", 1000)]
    [InlineData("observer.GetFlowsResponse", "time", 1001)]
    [InlineData("observer.ServerStatusResponse", "num_connected_nodes", 5)]
    [InlineData("observer.ServerStatusResponse", "flows_rate", 9)]
    [InlineData("observer.Node", "seen_flows", 9)]
    [InlineData("observer.Namespace", "namespace", 2)]
    public void Field_HasHubbleNumber(string message, string field, int number)
    {
        var descriptor = Messages[message].FindFieldByName(field);
        Assert.NotNull(descriptor);
        Assert.Equal(number, descriptor.FieldNumber);
    }

    [Theory]
    [InlineData("AUDIT", 4, typeof(Verdict))]
    [InlineData("TRANSLATED", 7, typeof(Verdict))]
    [InlineData("POLICY_DENIED", 133, typeof(DropReason))]
    [InlineData("POLICY_DENY", 181, typeof(DropReason))]
    [InlineData("AUTH_REQUIRED", 189, typeof(DropReason))]
    [InlineData("TO_ENDPOINT", 101, typeof(TraceObservationPoint))]
    [InlineData("FROM_ENDPOINT", 5, typeof(TraceObservationPoint))]
    [InlineData("HUBBLE_RING_BUFFER", 3, typeof(LostEventSource))]
    [InlineData("L3_L4", 1, typeof(FlowType))]
    [InlineData("EGRESS", 2, typeof(TrafficDirection))]
    [InlineData("IPv6", 2, typeof(IPVersion))]
    public void EnumValue_HasHubbleNumber(string name, int number, Type enumType)
    {
        var descriptor = FlowReflection.Descriptor.EnumTypes.Single(e => e.ClrType == enumType);
        Assert.Equal(number, descriptor.FindValueByName(name).Number);
    }

    [Fact]
    public void ObserverService_HasHubbleMethodPaths()
    {
        var service = ObserverReflection.Descriptor.Services.Single();
        Assert.Equal("observer.Observer", service.FullName);
        Assert.Equal(["GetFlows", "GetNodes", "GetNamespaces", "ServerStatus"], service.Methods.Select(m => m.Name));
        Assert.True(service.FindMethodByName("GetFlows").IsServerStreaming);
    }
}
