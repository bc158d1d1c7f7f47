using System.Text.Json.Nodes;
using Sluice.Api.Flow;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Formatting;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public class JsonpbFormatterTests
{
    private static readonly FlowConversionContext Context = new("node1", "0.1.0", "01234567-89ab-cdef-0123");

    [Fact]
    public void FormatFlow_AllowedConnection_MatchesHubbleJsonFieldByField()
    {
        string line = JsonpbFormatter.FormatFlow(FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.NewTcp()), Context), "node1");

        const string expected = """
        {
          "flow": {
            "time": "2025-11-27T12:34:56.123456789Z",
            "uuid": "01234567-89ab-cdef-0123-000000000001",
            "emitter": { "name": "Sluice", "version": "0.1.0" },
            "verdict": "FORWARDED",
            "IP": { "source": "10.10.0.2", "destination": "10.10.0.3", "ipVersion": "IPv4" },
            "l4": { "TCP": { "source_port": 40000, "destination_port": 8080, "flags": { "SYN": true } } },
            "source": {
              "ID": 11, "identity": 1001, "namespace": "shop",
              "labels": ["k8s:app=frontend", "k8s:io.kubernetes.pod.namespace=shop", "k8s:tier=web"],
              "pod_name": "frontend"
            },
            "destination": {
              "ID": 12, "identity": 1002, "namespace": "shop",
              "labels": ["k8s:app=api", "k8s:io.kubernetes.pod.namespace=shop"],
              "pod_name": "api"
            },
            "Type": "L3_L4",
            "node_name": "node1",
            "event_type": { "type": 5 },
            "traffic_direction": "INGRESS",
            "policy_match_type": 2,
            "is_reply": false,
            "interface": { "index": 22, "name": "veth-api" },
            "Summary": "TCP Flags: SYN",
            "ingress_allowed_by": [
              { "name": "allow-frontend", "namespace": "shop", "labels": ["k8s:io.cilium.k8s.policy.name=allow-frontend"], "revision": "7", "kind": "CiliumNetworkPolicy" }
            ]
          },
          "node_name": "node1",
          "time": "2025-11-27T12:34:56.123456789Z"
        }
        """;
        var actualNode = JsonNode.Parse(line)!;
        var expectedNode = JsonNode.Parse(expected)!;
        foreach (var (key, value) in expectedNode["flow"]!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(value, actualNode["flow"]![key]), $"flow.{key}: expected {value?.ToJsonString()}, got {actualNode["flow"]![key]?.ToJsonString()}");
        }

        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode), line);
    }

    [Fact]
    public void FormatFlow_Drop_HasDropReasonNameAndNumberAndDeniedByNothing()
    {
        var flow = JsonNode.Parse(JsonpbFormatter.FormatFlow(FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.DroppedUdp()), Context), "node1"))!["flow"]!;
        Assert.Equal("DROPPED", (string?)flow["verdict"]);
        Assert.Equal(133, (int?)flow["drop_reason"]);
        Assert.Equal("POLICY_DENIED", (string?)flow["drop_reason_desc"]);
        Assert.Equal(1, (int?)flow["event_type"]!["type"]);
        Assert.Equal(133, (int?)flow["event_type"]!["sub_type"]);
        Assert.Equal("reserved:world", (string?)flow["source"]!["labels"]![0]);
        Assert.Null(flow["ingress_denied_by"]);
    }

    [Fact]
    public void FormatFlow_AuditedFlowWithPolicy_ListsDeniedByOnItsDirection()
    {
        var e = TestFlows.PingWorld();
        e.PolicyRef = 5;
        var flow = JsonNode.Parse(JsonpbFormatter.FormatFlow(FlowProtoConverter.ToProto(TestFlows.Enriched(e), Context), "node1"))!["flow"]!;
        Assert.Equal("AUDIT", (string?)flow["verdict"]);
        Assert.Equal("allow-frontend", (string?)flow["egress_denied_by"]![0]!["name"]);
        Assert.Null(flow["drop_reason_desc"]);
        Assert.Equal(8, (int?)flow["l4"]!["ICMPv4"]!["type"]);
    }

    [Fact]
    public void FormatFlow_ReplyOfAuditedFlow_NamesNoPolicy()
    {
        // The reply of an audited flow is forwarded by conntrack and carries its flow's (denying) reference;
        // listing that policy under ingress_allowed_by would claim the deny allowed it.
        var e = TestFlows.PingWorld();
        e.PolicyRef = 5;
        e.Verdict = Verdict.Forwarded;
        e.DropReason = DropReason.Unknown;
        e.Reply = ReplyState.Reply;
        var flow = JsonNode.Parse(JsonpbFormatter.FormatFlow(FlowProtoConverter.ToProto(TestFlows.Enriched(e), Context), "node1"))!["flow"]!;

        Assert.Equal("FORWARDED", (string?)flow["verdict"]);
        Assert.True((bool?)flow["is_reply"]);
        Assert.Null(flow["egress_allowed_by"]);
        Assert.Null(flow["ingress_allowed_by"]);
        Assert.Null(flow["egress_denied_by"]);
        Assert.Null(flow["ingress_denied_by"]);
    }

    [Fact]
    public void FormatFlow_Line_HasNoWhitespaceOutsideStrings()
    {
        string line = JsonpbFormatter.FormatFlow(FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.NewTcp()), Context), "node1");
        Assert.StartsWith("{\"flow\":{\"time\":\"2025-11-27T12:34:56.123456789Z\",", line);
        Assert.EndsWith(",\"node_name\":\"node1\",\"time\":\"2025-11-27T12:34:56.123456789Z\"}", line);
        Assert.DoesNotContain('\n', line);
        Assert.Equal(line, JsonpbFormatter.Compact(line));
    }

    [Fact]
    public void Compact_KeepsSpacesAndEscapesInsideStrings()
    {
        Assert.Equal("{\"a\":\"x y \\\" z\",\"b\":[1,2]}", JsonpbFormatter.Compact("{ \"a\": \"x y \\\" z\", \"b\": [ 1, 2 ] }"));
    }

    [Fact]
    public void FormatFlow_AllowedConnection_IsTheLineDocumentedInFlowsMd()
    {
        const string documented = """
            {"flow":{"time":"2025-11-27T12:34:56.123456789Z","verdict":"FORWARDED","IP":{"source":"10.10.0.2","destination":"10.10.0.3","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":40000,"destination_port":8080,"flags":{"SYN":true}}},"source":{"ID":11,"identity":1001,"namespace":"shop","labels":["k8s:app=frontend","k8s:io.kubernetes.pod.namespace=shop","k8s:tier=web"],"pod_name":"frontend"},"destination":{"ID":12,"identity":1002,"namespace":"shop","labels":["k8s:app=api","k8s:io.kubernetes.pod.namespace=shop"],"pod_name":"api"},"Type":"L3_L4","node_name":"node1","event_type":{"type":5},"traffic_direction":"INGRESS","policy_match_type":2,"is_reply":false,"interface":{"index":22,"name":"veth-api"},"uuid":"01234567-89ab-cdef-0123-000000000001","emitter":{"name":"Sluice","version":"0.1.0"},"ingress_allowed_by":[{"name":"allow-frontend","namespace":"shop","labels":["k8s:io.cilium.k8s.policy.name=allow-frontend"],"revision":"7","kind":"CiliumNetworkPolicy"}],"Summary":"TCP Flags: SYN"},"node_name":"node1","time":"2025-11-27T12:34:56.123456789Z"}
            """;
        Assert.Equal(documented, JsonpbFormatter.FormatFlow(FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.NewTcp()), Context), "node1"));
    }
}
