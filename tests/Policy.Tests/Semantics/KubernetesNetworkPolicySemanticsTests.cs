using Sluice.Policy.MapState;
using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// Kubernetes NetworkPolicy: podSelector in the policy namespace, namespaceSelector through namespace labels
/// (every namespace has <c>kubernetes.io/metadata.name</c>), both ANDed in one peer, ipBlock with except,
/// ports with protocol (default TCP) and endPort, a rule without peers = every peer. A pod 305 lives in
/// namespace <c>blue</c> labelled <c>team=blue</c>. Ingress of endpoint 300 unless noted.
/// </summary>
public class KubernetesNetworkPolicySemanticsTests
{
    private const string Selected = "podSelector: {matchLabels: {app: api}}\n";

    private static string[] Lines(string direction, string l4, params string[] identities) =>
        [.. identities.Select(i => $"{direction} identity={i} {l4}: allow by netpol/shop/p[0]")];

    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "podSelector peer is namespace-local", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]"), Lines("ingress", "any", "301") },
        { "podSelector {} = every pod of the namespace", NetPol(Selected + "ingress:\n- from: [{podSelector: {}}]"), Lines("ingress", "any", "300", "301", "302") },
        { "namespaceSelector by metadata.name", NetPol(Selected + "ingress:\n- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}]"), Lines("ingress", "any", "303", "304") },
        { "namespaceSelector by a namespace label", NetPol(Selected + "ingress:\n- from: [{namespaceSelector: {matchLabels: {team: blue}}}]"), Lines("ingress", "any", "305") },
        { "namespaceSelector {} = every pod of every namespace", NetPol(Selected + "ingress:\n- from: [{namespaceSelector: {}}]"), Lines("ingress", "any", "300", "301", "302", "303", "304", "305") },
        { "namespaceSelector and podSelector in one peer are ANDed", NetPol(Selected + "ingress:\n- from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]"), Lines("ingress", "any", "301", "303") },
        { "two peers are ORed", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: db}}}, {namespaceSelector: {matchLabels: {team: blue}}}]"), Lines("ingress", "any", "302", "305") },
        { "matchExpressions on namespaces", NetPol(Selected + "ingress:\n- from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [blue, other]}]}}]"), Lines("ingress", "any", "303", "304", "305") },
        { "ipBlock selects prefixes it contains", NetPol(Selected + "ingress:\n- from: [{ipBlock: {cidr: 192.0.2.0/24}}]"), Lines("ingress", "any", "400", "16777217") },
        { "ipBlock except", NetPol(Selected + "ingress:\n- from: [{ipBlock: {cidr: 192.0.0.0/16, except: [192.0.2.0/24]}}]"), Lines("ingress", "any", "16777217") },
        { "rule without from = every peer", NetPol(Selected + "ingress:\n- ports: [{port: 443}]"), Lines("ingress", "tcp/443", "any") },
        { "empty rule = everything from everyone", NetPol(Selected + "ingress:\n- {}"), Lines("ingress", "any", "any") },
        { "no rules: nothing allowed", NetPol(Selected + "policyTypes: [Ingress]"), [] },
        { "port defaults to TCP", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{port: 8080}]"), Lines("ingress", "tcp/8080", "301") },
        { "UDP port", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{protocol: UDP, port: 53}]"), Lines("ingress", "udp/53", "301") },
        { "SCTP port", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{protocol: SCTP, port: 7777}]"), Lines("ingress", "sctp/7777", "301") },
        { "endPort range", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{protocol: TCP, port: 32000, endPort: 32768}]"), Lines("ingress", "tcp/32000-32768", "301") },
        { "protocol without port = all its ports", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{protocol: UDP}]"), Lines("ingress", "udp/all", "301") },
        { "named port allows nothing", NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{port: http}]"), [] },
        { "egress rule", NetPol(Selected + "policyTypes: [Egress]\negress:\n- to: [{podSelector: {matchLabels: {app: db}}}]\n  ports: [{port: 5432}]"), Lines("egress", "tcp/5432", "302") },
        { "ingress rules ignored when policyTypes is Egress only", NetPol(Selected + "policyTypes: [Egress]\ningress:\n- from: [{podSelector: {}}]"), [] },
        { "podSelector not matching the endpoint", NetPol("podSelector: {matchLabels: {app: web}}\ningress:\n- from: [{podSelector: {}}]"), [] },
        { "other namespace's policy does not select", NetPol(Selected + "ingress:\n- {}", ns: "other"), [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NetworkPolicy_MatchesKubernetesSemantics(string name, string yaml, string[] expected)
    {
        var world = Create();
        world.Pod(305, "blue", "app=tool", namespaceLabels: "team=blue");
        world.Policy(yaml);
        Assert.True(expected.SequenceEqual(world.Lines(Api)), $"{name}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", world.Lines(Api))}");
    }

    [Fact]
    public void CiliumDeny_WinsOverNetworkPolicyAllow()
    {
        var world = Create();
        world.Policy(NetPol(Selected + "ingress:\n- from: [{podSelector: {matchLabels: {app: web}}}]"));
        world.Policy(Cnp("ingressDeny:\n- fromEndpoints: [{matchLabels: {app: web}}]\n  toPorts: [{ports: [{port: \"22\", protocol: TCP}]}]", name: "deny"));
        Assert.Equal(LookupDecision.Denied, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, 22));
        Assert.Equal(LookupDecision.Allowed, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, 80));
    }
}
