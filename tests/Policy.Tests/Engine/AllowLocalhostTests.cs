using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Trace;
using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Engine;

/// <summary>
/// Cilium's default <c>allow-localhost</c>: the local host may reach an endpoint whose ingress is enforced,
/// through an implicit entry that explicit denies still override. Endpoint 300 of the semantic world.
/// </summary>
public class AllowLocalhostTests
{
    private const string HostLine = "ingress identity=1 any: allow (implicit: allow-localhost)";

    [Fact]
    public void IngressEnforced_GetsImplicitHostAllow()
    {
        var world = Create(allowLocalhost: true);
        world.Policy(Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]"));
        Assert.Equal([HostLine, "ingress identity=301 any: allow by cnp/shop/p[0]"], world.Lines(Api));
        Assert.Equal(LookupDecision.Allowed, world.Decide(Api, TrafficDirection.Ingress, ReservedIdentity.Host, IpProtocol.Tcp, 10250));
    }

    [Fact]
    public void NoIngressEnforcement_NoHostEntry()
    {
        var world = Create(allowLocalhost: true);
        world.Policy(Cnp("egress:\n- toEntities: [world]"));
        Assert.DoesNotContain(HostLine, world.Lines(Api));
        Assert.Equal(LookupDecision.DeniedByDefault, world.Decide(Api, TrafficDirection.Egress, ReservedIdentity.Host, IpProtocol.Tcp, 80));
    }

    [Fact]
    public void ExplicitDenyFromHost_StillWins()
    {
        var world = Create(allowLocalhost: true);
        world.Policy(Cnp("ingressDeny:\n- fromEntities: [host]\n  toPorts: [{ports: [{port: \"22\", protocol: TCP}]}]"));
        Assert.Equal([HostLine, "ingress identity=1 tcp/22: deny by cnp/shop/p[0]"], world.Lines(Api));
        Assert.Equal(LookupDecision.Denied, world.Decide(Api, TrafficDirection.Ingress, ReservedIdentity.Host, IpProtocol.Tcp, 22));
        Assert.Equal(LookupDecision.Allowed, world.Decide(Api, TrafficDirection.Ingress, ReservedIdentity.Host, IpProtocol.Tcp, 80));
    }

    [Fact]
    public void HostAlsoSelectedByARule_KeepsBothEntries()
    {
        var world = Create(allowLocalhost: true);
        world.Policy(Cnp("ingress:\n- fromEntities: [host]\n  toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]"));
        Assert.Equal([HostLine, "ingress identity=1 tcp/80: allow by cnp/shop/p[0]"], world.Lines(Api));
    }

    [Fact]
    public void HostSharesASelectionWithOthers_OnlyTheHostGetsTheImplicitEntry()
    {
        var world = Create(allowLocalhost: true);
        world.Policy(Cnp("ingress:\n- fromEntities: [host, health]\n  toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]"));
        Assert.Equal(
            [HostLine, "ingress identity=1 tcp/80: allow by cnp/shop/p[0]", "ingress identity=4 tcp/80: allow by cnp/shop/p[0]"],
            world.Lines(Api));
    }

    [Fact]
    public void PolicyTurningIngressOn_AddsTheHostEntryInItsDelta()
    {
        var world = Create(allowLocalhost: true);
        var deltas = world.Policy(Cnp("ingress:\n- {}"));
        var delta = Assert.Single(deltas);
        Assert.Equal("endpoint 300 enforcement ingress=DefaultDeny egress=Off\n+ " + HostLine + "\n", delta.ToString());
    }

    [Fact]
    public void Trace_ExplainsTheImplicitAllow()
    {
        var world = Create(allowLocalhost: true);
        world.Policy(Cnp("ingress:\n- {}"));
        var api = world.Engine.Endpoints.Single(e => e.Id == Api);
        var host = world.Engine.Identities[ReservedIdentity.Host];
        var result = new PolicyTracer(world.Engine).Trace(TraceParty.ForIdentity(host, "host"), TraceParty.ForEndpoint(api), 10250, IpProtocol.Tcp);
        Assert.True(result.Allowed);
        Assert.Contains("Ingress verdict: allowed (implicit allow-localhost)", result.Render(), StringComparison.Ordinal);
    }
}
