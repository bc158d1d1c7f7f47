using System.Net;
using Sluice.Daemon.Control;
using Sluice.Daemon.Datapath;
using Sluice.Daemon.Endpoints;
using Sluice.Daemon.Flows;
using Sluice.FlowExporter.Model;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Xunit;

namespace Sluice.Daemon.Tests.Flows;

public sealed class DaemonFlowEnricherTests
{
    private static DaemonSnapshot Snapshot()
    {
        var definition = EndpointsFileParser.Parse("endpoints:\n  - {name: web, namespace: shop, interface: veth-web, addresses: [10.0.0.2, 'fd00::2'], labels: {app: web}}")
            .File!.Endpoints[0];
        var identities = new Dictionary<uint, Identity>
        {
            [2] = Identity.Reserved(2),
            [256] = new Identity(256, definition.IdentityLabels),
            [300] = new Identity(300, LabelSet.Parse(["k8s:app=partner"]), IpPrefix.Parse("192.0.2.0/24")),
        };
        return new DaemonSnapshot
        {
            Endpoints = [new EndpointStatus(definition, 5, 256, 12, true, false, EnforcementState.Off, EnforcementState.Off, 0, 1, EndpointMapState.Empty(5))],
            Identities = identities,
        };
    }

    [Fact]
    public void ResolveEndpoint_KnownId_NameNamespaceAndLabels()
    {
        var enricher = new DaemonFlowEnricher(Snapshot, new PolicyRefTable());

        var view = enricher.ResolveEndpoint(5)!;

        Assert.Equal(("web", "shop", 256u, 5u), (view.Name, view.Namespace, view.Identity, view.EndpointId));
        Assert.Contains("k8s:app=web", view.Labels);
        Assert.Null(enricher.ResolveEndpoint(6));
    }

    [Theory]
    [InlineData("10.0.0.2", 4)]
    [InlineData("fd00::2", 6)]
    public void ResolvePeer_EndpointAddress_IsTheEndpoint(string address, byte version)
    {
        var enricher = new DaemonFlowEnricher(Snapshot, new PolicyRefTable());

        var view = enricher.ResolvePeer(256, IpAddress16.FromIPAddress(IPAddress.Parse(address)), version)!;

        Assert.Equal("web", view.Name);
    }

    [Fact]
    public void ResolvePeer_OtherAddress_IsTheIdentitysLabels()
    {
        var enricher = new DaemonFlowEnricher(Snapshot, new PolicyRefTable());

        var world = enricher.ResolvePeer(2, IpAddress16.FromIPAddress(IPAddress.Parse("8.8.8.8")), 4)!;
        var partner = enricher.ResolvePeer(300, IpAddress16.FromIPAddress(IPAddress.Parse("192.0.2.7")), 4)!;

        Assert.Equal(("", 0u), (world.Name, world.EndpointId));
        Assert.Equal(["reserved:world"], world.Labels);
        Assert.Equal(["k8s:app=partner"], partner.Labels);
    }

    [Fact]
    public void ResolveInterfaceAndPolicies_FromSnapshotAndRefTable()
    {
        var refs = new PolicyRefTable();
        uint id = refs.IdFor([new PolicyRef(PolicyKind.CiliumNetworkPolicy, "shop", "allow-web", 0)], 2);
        var enricher = new DaemonFlowEnricher(Snapshot, refs);

        Assert.Equal("veth-web", enricher.ResolveInterface(12));
        Assert.Null(enricher.ResolveInterface(13));
        Assert.Equal("allow-web", Assert.Single(enricher.ResolvePolicies(id)!.Policies).Name);
    }

    [Fact]
    public void Resolve_AfterNewSnapshot_SeesTheNewState()
    {
        var current = Snapshot();
        var enricher = new DaemonFlowEnricher(() => current, new PolicyRefTable());
        Assert.NotNull(enricher.ResolveEndpoint(5));

        current = new DaemonSnapshot();

        Assert.Null(enricher.ResolveEndpoint(5));
    }
}
