using Sluice.Policy.MapState;
using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// Staged (audit) policies never change what is dropped; they mark entries Audit. Features parsed but not
/// enforced are handled conservatively: L7/TLS/listener rules still allow at L4, toFQDNs/toServices/
/// toGroups/CIDR groups select no peer, required authentication allows nothing, host policies select no
/// endpoint. Ingress of endpoint 300 unless noted.
/// </summary>
public class AuditAndNotEnforcedSemanticsTests
{
    private const string FromWeb = "fromEndpoints: [{matchLabels: {app: web}}]";

    public static TheoryData<string, string, string[]> NotEnforcedCases => new()
    {
        { "HTTP rules allow at L4", Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}], rules: {{http: [{{method: GET, path: /}}]}}}}]"),
            ["ingress identity=301 tcp/80: allow by cnp/shop/p[0]"] },
        { "DNS rules allow at L4", Cnp("egress:\n- toEndpoints: [{matchLabels: {app: db}}]\n  toPorts: [{ports: [{port: \"53\", protocol: UDP}], rules: {dns: [{matchPattern: \"*\"}]}}]"),
            ["egress identity=302 udp/53: allow by cnp/shop/p[0]"] },
        { "toFQDNs selects nothing", Cnp("egress:\n- toFQDNs: [{matchName: example.com}]\n  toPorts: [{ports: [{port: \"443\", protocol: TCP}]}]"), [] },
        { "toServices selects nothing", Cnp("egress:\n- toServices: [{k8sService: {serviceName: db, namespace: shop}}]"), [] },
        { "required authentication allows nothing", Cnp($"ingress:\n- {FromWeb}\n  authentication: {{mode: required}}"), [] },
        { "disabled authentication is a plain allow", Cnp($"ingress:\n- {FromWeb}\n  authentication: {{mode: disabled}}"), ["ingress identity=301 any: allow by cnp/shop/p[0]"] },
        { "serverNames allow at L4", Cnp("egress:\n- toEntities: [world]\n  toPorts: [{ports: [{port: \"443\", protocol: TCP}], serverNames: [example.com]}]"),
            ["egress identity=2 tcp/443: allow by cnp/shop/p[0]", "egress identity=9 tcp/443: allow by cnp/shop/p[0]",
             "egress identity=10 tcp/443: allow by cnp/shop/p[0]", "egress identity=400 tcp/443: allow by cnp/shop/p[0]"] },
        { "cidrGroupRef selects nothing", Cnp("egress:\n- toCIDRSet: [{cidrGroupRef: partners}]"), [] },
    };

    [Theory]
    [MemberData(nameof(NotEnforcedCases))]
    public void NotEnforcedFeatures_AreConservative(string name, string yaml, string[] expected)
    {
        var world = Create();
        world.Policy(yaml);
        Assert.True(expected.SequenceEqual(world.Lines(Api)), $"{name}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", world.Lines(Api))}");
    }

    [Fact]
    public void ToFqdns_StillTurnsOnEgressDefaultDeny()
    {
        var world = Create();
        world.Policy(Cnp("egress:\n- toFQDNs: [{matchName: example.com}]"));
        Assert.Equal(EnforcementState.DefaultDeny, world.Engine.GetMapState(Api).Egress);
        Assert.Equal(LookupDecision.DeniedByDefault, world.Decide(Api, TrafficDirection.Egress, Partner, IpProtocol.Tcp, 443));
    }

    [Fact]
    public void HostPolicy_SelectsNoEndpoint()
    {
        var world = Create();
        world.Policy("apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: host}\nspec:\n  nodeSelector: {}\n  ingress:\n  - fromEntities: [cluster]");
        Assert.Equal(EnforcementState.Off, world.Engine.GetMapState(Api).Ingress);
        Assert.Empty(world.Lines(Api));
    }

    public static TheoryData<string, string, string, string[], EnforcementState> AuditCases => new()
    {
        {
            "staged deny next to an enforced allow marks the deny audit",
            Cnp($"ingress:\n- {FromWeb}", name: "e"),
            Cnp($"ingressDeny:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]", name: "s"),
            ["ingress identity=301 any: allow by cnp/shop/e[0]", "ingress identity=301 tcp/22: deny audit by cnp/shop/s[0]"],
            EnforcementState.DefaultDeny
        },
        {
            "staged allow alone: audit default-deny, audit allow",
            Cnp("ingress:\n- fromEntities: [host]", ns: "other", name: "unrelated"),
            Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]", name: "s"),
            ["ingress identity=301 tcp/80: allow audit by cnp/shop/s[0]"],
            EnforcementState.AuditDefaultDeny
        },
        {
            "staged allow under enforced default-deny changes nothing",
            Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]", name: "e"),
            Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"81\", protocol: TCP}}]}}]", name: "s"),
            ["ingress identity=301 tcp/80: allow by cnp/shop/e[0]"],
            EnforcementState.DefaultDeny
        },
        {
            "staged deny under enforced default-deny is clipped to what is allowed",
            Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]", name: "e"),
            Cnp($"ingressDeny:\n- {FromWeb}", name: "s"),
            ["ingress identity=301 tcp/80: deny audit by cnp/shop/s[0]"],
            EnforcementState.DefaultDeny
        },
        {
            "enforced deny wins over a staged deny on the same key",
            Cnp($"ingress:\n- {FromWeb}\ningressDeny:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]", name: "e"),
            Cnp($"ingressDeny:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]", name: "s"),
            ["ingress identity=301 any: allow by cnp/shop/e[0]", "ingress identity=301 tcp/22: deny by cnp/shop/e[0]"],
            EnforcementState.DefaultDeny
        },
        {
            "enforced deny on any identity is copied under a staged deny of an identity",
            Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"0\", protocol: TCP}}]}}]\ningressDeny:\n- fromEntities: [all]\n  toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]", name: "e"),
            Cnp($"ingressDeny:\n- {FromWeb}", name: "s"),
            ["ingress identity=any tcp/22: deny by cnp/shop/e[0]", "ingress identity=301 tcp/all: deny audit by cnp/shop/s[0]", "ingress identity=301 tcp/22: deny by cnp/shop/e[0]"],
            EnforcementState.DefaultDeny
        },
    };

    [Theory]
    [MemberData(nameof(AuditCases))]
    public void StagedPolicies_OnlyAudit(string name, string enforced, string staged, string[] expected, EnforcementState ingress)
    {
        var world = Create();
        world.Policy(enforced);
        world.Policy(staged, audit: true);
        Assert.True(expected.SequenceEqual(world.Lines(Api)), $"{name}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", world.Lines(Api))}");
        Assert.Equal(ingress, world.Engine.GetMapState(Api).Ingress);
        Assert.Empty(world.Engine.GetMapState(Api).FindLpmViolations());
    }

    [Theory]
    [InlineData((ushort)22, LookupDecision.Denied)]
    [InlineData((ushort)80, LookupDecision.AuditDenied)]
    [InlineData((ushort)0, LookupDecision.AuditDenied)]
    public void StagedDeny_NeverDropsWhatEnforcedPolicyAllows(ushort port, LookupDecision expected)
    {
        var world = Create();
        world.Policy(Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"0\", protocol: TCP}}]}}]\ningressDeny:\n- fromEntities: [all]\n  toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]", name: "e"));
        world.Policy(Cnp($"ingressDeny:\n- {FromWeb}", name: "s"), audit: true);
        Assert.Equal(expected, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, port));
        Assert.Equal(LookupDecision.DeniedByDefault, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Udp, 53));
    }

    [Fact]
    public void StagedDefaultDeny_AuditsUnmatchedTraffic()
    {
        var world = Create();
        world.Policy(Cnp($"ingress:\n- {FromWeb}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]", name: "s"), audit: true);
        Assert.Equal(LookupDecision.Allowed, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, 80));
        Assert.Equal(LookupDecision.AuditDeniedByDefault, world.Decide(Api, TrafficDirection.Ingress, Db, IpProtocol.Tcp, 80));
    }
}
