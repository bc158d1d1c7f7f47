using Sluice.Policy.MapState;
using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// Deny precedence over every allow, and LPM consistency within one identity: an allow overlapping a deny
/// is cut around it unless it covers it. Ingress of endpoint 300.
/// </summary>
public class DenySemanticsTests
{
    private const string WebSel = "[{matchLabels: {app: web}}]";

    public static TheoryData<string, string, string[]> Cases => new()
    {
        {
            "broader allow keeps, narrower deny added",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\ningressDeny:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=301 tcp/22: deny by cnp/shop/p[0]"]
        },
        {
            "L3 deny removes every allow of that identity",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]\ningressDeny:\n- fromEndpoints: {WebSel}"),
            ["ingress identity=301 any: deny by cnp/shop/p[0]"]
        },
        {
            "partial overlap: allow 80-90 cut at deny 85-100",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", endPort: 90, protocol: TCP}}]}}]\ningressDeny:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"85\", endPort: 100, protocol: TCP}}]}}]"),
            ["ingress identity=301 tcp/80-84: allow by cnp/shop/p[0]", "ingress identity=301 tcp/85-100: deny by cnp/shop/p[0]"]
        },
        {
            "deny inside an allow range: allow kept whole (it covers the deny)",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", endPort: 90, protocol: TCP}}]}}]\ningressDeny:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"85\", protocol: TCP}}]}}]"),
            ["ingress identity=301 tcp/80-90: allow by cnp/shop/p[0]", "ingress identity=301 tcp/85: deny by cnp/shop/p[0]"]
        },
        {
            "deny wider than the allow on the same protocol: allow dropped",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]\ningressDeny:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"0\", protocol: TCP}}]}}]"),
            ["ingress identity=301 tcp/all: deny by cnp/shop/p[0]"]
        },
        {
            "same key allowed and denied: deny",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]\ningressDeny:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]"),
            ["ingress identity=301 tcp/80: deny by cnp/shop/p[0]"]
        },
        {
            "deny on another protocol does not touch the allow",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", protocol: TCP}}]}}]\ningressDeny:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"80\", protocol: UDP}}]}}]"),
            ["ingress identity=301 tcp/80: allow by cnp/shop/p[0]", "ingress identity=301 udp/80: deny by cnp/shop/p[0]"]
        },
        {
            "deny of another identity does not touch the allow",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\ningressDeny:\n- fromEndpoints: [{{matchLabels: {{app: db}}}}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=302 any: deny by cnp/shop/p[0]"]
        },
        {
            "deny on any identity is not copied into allowed identities",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]\ningressDeny:\n- toPorts: [{{ports: [{{port: \"22\", protocol: TCP}}]}}]"),
            ["ingress identity=any tcp/22: deny by cnp/shop/p[0]", "ingress identity=301 tcp/22: allow by cnp/shop/p[0]"]
        },
        {
            "deny-only policy",
            Cnp($"ingressDeny:\n- fromEndpoints: {WebSel}"),
            ["ingress identity=301 any: deny by cnp/shop/p[0]"]
        },
        {
            "allow from all with a deny for one identity",
            Cnp($"ingress:\n- fromEntities: [all]\ningressDeny:\n- fromEndpoints: {WebSel}"),
            ["ingress identity=any any: allow by cnp/shop/p[0]", "ingress identity=301 any: deny by cnp/shop/p[0]"]
        },
        {
            "two denies cut one allow into three pieces",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"1000\", endPort: 2000, protocol: TCP}}]}}]\ningressDeny:\n- fromEndpoints: {WebSel}\n  toPorts: [{{ports: [{{port: \"900\", endPort: 1100, protocol: TCP}}, {{port: \"1900\", endPort: 2100, protocol: TCP}}]}}]"),
            ["ingress identity=301 tcp/900-1100: deny by cnp/shop/p[0]", "ingress identity=301 tcp/1101-1899: allow by cnp/shop/p[0]", "ingress identity=301 tcp/1900-2100: deny by cnp/shop/p[0]"]
        },
        {
            "ICMP deny inside an L3 allow",
            Cnp($"ingress:\n- fromEndpoints: {WebSel}\ningressDeny:\n- fromEndpoints: {WebSel}\n  icmps: [{{fields: [{{type: 8}}]}}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=301 icmp/type=8: deny by cnp/shop/p[0]"]
        },
        {
            "egress deny to world on 25 next to an egress allow to world",
            Cnp("egress:\n- toEntities: [world]\negressDeny:\n- toEntities: [world]\n  toPorts: [{ports: [{port: \"25\", protocol: TCP}]}]"),
            ["egress identity=2 any: allow by cnp/shop/p[0]", "egress identity=2 tcp/25: deny by cnp/shop/p[0]",
             "egress identity=9 any: allow by cnp/shop/p[0]", "egress identity=9 tcp/25: deny by cnp/shop/p[0]",
             "egress identity=10 any: allow by cnp/shop/p[0]", "egress identity=10 tcp/25: deny by cnp/shop/p[0]",
             "egress identity=400 any: allow by cnp/shop/p[0]", "egress identity=400 tcp/25: deny by cnp/shop/p[0]"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DenyPrecedence_IsLpmConsistent(string name, string yaml, string[] expected)
    {
        var world = Create();
        world.Policy(yaml);
        Assert.True(expected.SequenceEqual(world.Lines(Api)), $"{name}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", world.Lines(Api))}");
        Assert.Empty(world.Engine.GetMapState(Api).FindLpmViolations());
    }

    [Theory]
    [InlineData((ushort)22, LookupDecision.Denied)]
    [InlineData((ushort)80, LookupDecision.Allowed)]
    public void DenyFromAnotherPolicy_WinsOverAllow(ushort port, LookupDecision expected)
    {
        var world = Create();
        world.Policy(Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]", name: "allow"));
        world.Policy(Ccnp("ingressDeny:\n- fromEntities: [cluster]\n  toPorts: [{ports: [{port: \"22\", protocol: TCP}]}]", name: "deny"));
        Assert.Equal(expected, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, port));
    }

    [Fact]
    public void DenyOnAnyIdentity_WinsInLookupOverIdentityAllow()
    {
        var world = Create();
        world.Policy(Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]\ningressDeny:\n- fromEntities: [all]\n  toPorts: [{ports: [{port: \"22\", protocol: TCP}]}]"));
        Assert.Equal(LookupDecision.Denied, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, 22));
        Assert.Equal(LookupDecision.Allowed, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, 23));
        Assert.Equal(LookupDecision.DeniedByDefault, world.Decide(Api, TrafficDirection.Ingress, Db, IpProtocol.Tcp, 23));
    }
}
