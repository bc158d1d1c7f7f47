using Sluice.Daemon.Datapath;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Xunit;

namespace Sluice.Daemon.Tests.Datapath;

public sealed class PolicyRefTableTests
{
    [Fact]
    public void IdFor_SameOrigins_SameIdAndResolvesToNames()
    {
        var table = new PolicyRefTable();
        PolicyRef[] origins = [new(PolicyKind.CiliumNetworkPolicy, "shop", "a", 0), new(PolicyKind.CiliumClusterwideNetworkPolicy, null, "b", 1)];

        uint id = table.IdFor(origins, 3);

        Assert.Equal(1u, id);
        Assert.Equal(id, table.IdFor([.. origins], 4));
        var info = table.Resolve(id)!;
        Assert.Equal([("a", "shop", "CiliumNetworkPolicy"), ("b", "", "CiliumClusterwideNetworkPolicy")],
            info.Policies.Select(p => (p.Name, p.Namespace, p.Kind)));
        Assert.Equal(3ul, info.Policies[0].Revision);
    }

    [Fact]
    public void IdFor_NoOrigins_IsZeroAndUnknownIdResolvesToNull()
    {
        var table = new PolicyRefTable();

        Assert.Equal(0u, table.IdFor([], 1));
        Assert.Null(table.Resolve(99));
    }

    [Fact]
    public void IdFor_TwoRulesOfOnePolicy_OneNameListedOnce()
    {
        var table = new PolicyRefTable();

        uint id = table.IdFor([new(PolicyKind.KubernetesNetworkPolicy, "ops", "np", 0), new(PolicyKind.KubernetesNetworkPolicy, "ops", "np", 1)], 1);

        Assert.Equal("NetworkPolicy", Assert.Single(table.Resolve(id)!.Policies).Kind);
    }
}
