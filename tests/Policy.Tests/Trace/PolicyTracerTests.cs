using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Tests.Engine;
using Sluice.Policy.Trace;
using Xunit;

namespace Sluice.Policy.Tests.Trace;

/// <summary>
/// <c>sluice policy trace</c>: which rules decide the source's egress and the destination's ingress, the
/// text a user reads, and agreement with the engine's map state for every combination.
/// </summary>
public class PolicyTracerTests
{
    private const string Policies = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: web}}]
            toPorts:
            - ports: [{port: "80", protocol: TCP}]
              rules: {http: [{method: GET}]}
          ingressDeny:
          - fromEndpoints: [{matchLabels: {app: web}}]
            toPorts: [{ports: [{port: "22", protocol: TCP}]}]
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: web}}
          egress:
          - toEndpoints: [{matchLabels: {app: api}}]
          - toCIDR: [192.0.2.0/24]
            toPorts: [{ports: [{port: "443", protocol: TCP}]}]
        """;

    private static (PolicyWorld World, EndpointInfo Web, EndpointInfo Api, EndpointInfo Db) Setup(EnforcementMode mode = EnforcementMode.Default)
    {
        var world = new PolicyWorld(mode);
        var web = new EndpointInfo(1, "web", "shop", PolicyWorld.PodIdentity(256, "shop", "app=web"));
        var api = new EndpointInfo(2, "api", "shop", PolicyWorld.PodIdentity(257, "shop", "app=api"));
        var db = new EndpointInfo(3, "db", "shop", PolicyWorld.PodIdentity(258, "shop", "app=db"));
        world.Engine.UpsertEndpoint(web);
        world.Engine.UpsertEndpoint(api);
        world.Engine.UpsertEndpoint(db);
        world.Policy(Policies);
        return (world, web, api, db);
    }

    private static TraceResult Trace(PolicyWorld world, EndpointInfo from, EndpointInfo to, ushort port, byte protocol = IpProtocol.Tcp) =>
        new PolicyTracer(world.Engine).Trace(TraceParty.ForEndpoint(from), TraceParty.ForEndpoint(to), port, protocol);

    private static string LastLine(string text) => text.TrimEnd('\n').Split('\n')[^1];

    [Fact]
    public void AllowedBothWays_NamesTheRulesAndTheirLines()
    {
        var (world, web, api, _) = Setup();
        var result = Trace(world, web, api, 80);
        string text = result.Render();
        Assert.True(result.Allowed);
        Assert.Equal(LookupDecision.Allowed, result.Egress.Decision);
        Assert.Equal(LookupDecision.Allowed, result.Ingress.Decision);
        Assert.Equal("Final verdict: ALLOWED", LastLine(text));
        Assert.Contains("Egress verdict: allowed by cnp/shop/web[0] spec.egress[0]", text, StringComparison.Ordinal);
        Assert.Contains("Ingress verdict: allowed by cnp/shop/api[0]", text, StringComparison.Ordinal);
        Assert.Contains("test.yaml:7:", text, StringComparison.Ordinal);
        Assert.Contains("note: HTTP rules are not enforced: the traffic is allowed at L4 on these ports", text, StringComparison.Ordinal);
        Assert.Contains("Tracing From: [k8s:app=web,", text, StringComparison.Ordinal);
        Assert.Contains("Ports: [80/TCP]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoAllowAtIngress_IsDeniedByDefault()
    {
        var (world, web, api, _) = Setup();
        var result = Trace(world, web, api, 8080);
        Assert.False(result.Allowed);
        Assert.Equal(LookupDecision.Allowed, result.Egress.Decision);
        Assert.Equal(LookupDecision.DeniedByDefault, result.Ingress.Decision);
        Assert.Contains("Ingress verdict: denied (default-deny: no rule allows it, POLICY_DENIED)", result.Render(), StringComparison.Ordinal);
        Assert.Equal("Final verdict: DENIED", LastLine(result.Render()));
    }

    [Fact]
    public void DenyRule_IsReportedAsTheDecidingRule()
    {
        var (world, web, api, _) = Setup();
        var result = Trace(world, web, api, 22);
        Assert.Equal(LookupDecision.Denied, result.Ingress.Decision);
        var decisive = Assert.Single(result.Ingress.Decisive);
        Assert.True(decisive.Entry.Deny);
        Assert.Equal("spec.ingressDeny[0]", decisive.Entry.FieldPath);
        Assert.Contains("Ingress verdict: denied by cnp/shop/api[0] spec.ingressDeny[0] (deny rule, POLICY_DENY)", result.Render(), StringComparison.Ordinal);
        Assert.Equal("Final verdict: DENIED", LastLine(result.Render()));
    }

    [Fact]
    public void EgressDefaultDeny_StopsTheSourceFirst()
    {
        var (world, web, _, db) = Setup();
        var result = Trace(world, web, db, 5432);
        Assert.Equal(LookupDecision.DeniedByDefault, result.Egress.Decision);
        Assert.Equal(LookupDecision.AllowedNoPolicy, result.Ingress.Decision);
        Assert.Contains("ingress enforcement: off", result.Render(), StringComparison.Ordinal);
        Assert.Equal("Final verdict: DENIED", LastLine(result.Render()));
    }

    [Fact]
    public void DestinationIp_IsMatchedByContainingCidr()
    {
        var (world, web, _, _) = Setup();
        var ip = new Identity(IdentityScope.LocalScopeBase + 100, Labels.LabelSet.Empty, IpPrefix.Parse("192.0.2.10/32"));
        var tracer = new PolicyTracer(world.Engine);
        var allowed = tracer.Trace(TraceParty.ForEndpoint(web), TraceParty.ForIdentity(ip, "192.0.2.10"), 443, IpProtocol.Tcp);
        Assert.True(allowed.Allowed);
        Assert.Contains("peer matched by cidr:192.0.2.0/24, port matched by tcp/443", allowed.Render(), StringComparison.Ordinal);
        Assert.Contains("not a local endpoint: no ingress policy applies", allowed.Render(), StringComparison.Ordinal);
        var denied = tracer.Trace(TraceParty.ForEndpoint(web), TraceParty.ForIdentity(ip, "192.0.2.10"), 80, IpProtocol.Tcp);
        Assert.False(denied.Allowed);
    }

    [Fact]
    public void Icmp_ShowsTheTypeAsPort()
    {
        var (world, web, api, _) = Setup();
        var result = Trace(world, web, api, 8, IpProtocol.Icmp);
        Assert.Contains("Ports: [type 8/ICMP]", result.Render(), StringComparison.Ordinal);
        Assert.Equal(LookupDecision.DeniedByDefault, result.Ingress.Decision);
    }

    [Fact]
    public void StagedDeny_IsAllowedWithAnAuditNote()
    {
        var (world, web, api, _) = Setup();
        world.Policy("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: staged, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingressDeny:
              - fromEndpoints: [{matchLabels: {app: web}}]
            """, audit: true);
        var result = Trace(world, web, api, 80);
        Assert.Equal(LookupDecision.AuditDenied, result.Ingress.Decision);
        Assert.True(result.Allowed);
        Assert.Contains("Ingress verdict: audit (would be denied by cnp/shop/staged[0] spec.ingressDeny[0])", result.Render(), StringComparison.Ordinal);
        Assert.Equal("Final verdict: ALLOWED", LastLine(result.Render()));
    }

    [Fact]
    public void NeverMode_AllowsEverything()
    {
        var (world, web, api, _) = Setup(EnforcementMode.Never);
        var result = Trace(world, web, api, 22);
        Assert.True(result.Allowed);
        Assert.Equal("Final verdict: ALLOWED", LastLine(result.Render()));
    }

    [Fact]
    public void FromDocuments_TracesWithoutAnEngine()
    {
        var documents = PolicyWorld.Parse(Policies);
        var web = new EndpointInfo(1, "web", "shop", PolicyWorld.PodIdentity(256, "shop", "app=web"));
        var api = new EndpointInfo(2, "api", "shop", PolicyWorld.PodIdentity(257, "shop", "app=api"));
        var db = new EndpointInfo(3, "db", "shop", PolicyWorld.PodIdentity(258, "shop", "app=db"));
        var tracer = PolicyTracer.FromDocuments(documents);
        Assert.True(tracer.Trace(TraceParty.ForEndpoint(web), TraceParty.ForEndpoint(api), 80, IpProtocol.Tcp).Allowed);
        // Neither api's egress nor web's ingress is selected by any rule: no enforcement either way.
        Assert.True(tracer.Trace(TraceParty.ForEndpoint(api), TraceParty.ForEndpoint(web), 80, IpProtocol.Tcp).Allowed);
        Assert.False(tracer.Trace(TraceParty.ForEndpoint(web), TraceParty.ForEndpoint(db), 5432, IpProtocol.Tcp).Allowed);
    }

    /// <summary>
    /// For random worlds, the trace's per-direction decision equals what the engine's map state decides for
    /// the same packet, for every endpoint, peer identity, protocol and a spread of ports.
    /// </summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void TraceDecision_AgreesWithMapStateLookup(int seed)
    {
        var random = new Random(seed);
        var engine = new PolicyEngine();
        for (uint id = 1000; id < 1012; id++)
        {
            engine.UpsertIdentity(RandomPolicies.RandomPod(random, id));
        }

        for (ulong ep = 1; ep <= 4; ep++)
        {
            engine.UpsertEndpoint(new EndpointInfo(ep, "e", "n1", RandomPolicies.RandomPod(random, 2000 + (uint)ep)));
        }

        int key = 0;
        foreach (var yaml in RandomPolicies.Pool)
        {
            if (random.Next(3) > 0)
            {
                engine.SetPolicy("k" + key++, PolicyWorld.Parse(yaml)[0], audit: random.Next(4) == 0);
            }
        }

        var tracer = new PolicyTracer(engine);
        int compared = 0;
        foreach (var endpoint in engine.Endpoints)
        {
            var state = engine.GetMapState(endpoint.Id);
            foreach (var peer in engine.Identities.Values)
            {
                foreach (var (protocol, port) in new (byte, ushort)[] { (6, 22), (6, 80), (6, 85), (6, 91), (17, 53), (1, 8), (132, 80) })
                {
                    var asDestination = tracer.Trace(TraceParty.ForIdentity(peer, "peer"), TraceParty.ForEndpoint(endpoint), port, protocol);
                    Assert.Equal(state.Lookup(peer.Id, TrafficDirection.Ingress, protocol, port).Decision, asDestination.Ingress.Decision);
                    var asSource = tracer.Trace(TraceParty.ForEndpoint(endpoint), TraceParty.ForIdentity(peer, "peer"), port, protocol);
                    Assert.Equal(state.Lookup(peer.Id, TrafficDirection.Egress, protocol, port).Decision, asSource.Egress.Decision);
                    compared += 2;
                }
            }
        }

        Assert.True(compared > 500);
    }
}
