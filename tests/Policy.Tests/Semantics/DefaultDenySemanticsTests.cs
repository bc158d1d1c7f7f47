using Sluice.Policy.Engine;
using Sluice.Policy.MapState;
using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// When a direction goes default-deny: per direction, by any selecting rule with entries for it, unless
/// <c>enableDefaultDeny</c> says otherwise; deny rules count; <c>ingress: [{}]</c>; modes always/never.
/// </summary>
public class DefaultDenySemanticsTests
{
    private const EnforcementState Off = EnforcementState.Off;
    private const EnforcementState Deny = EnforcementState.DefaultDeny;

    public static TheoryData<string, string[], EnforcementMode, EnforcementState, EnforcementState> Cases => new()
    {
        { "no policy", [], EnforcementMode.Default, Off, Off },
        { "ingress allow → ingress only", [Cnp("ingress:\n- fromEndpoints: [{}]")], EnforcementMode.Default, Deny, Off },
        { "egress allow → egress only", [Cnp("egress:\n- toEndpoints: [{}]")], EnforcementMode.Default, Off, Deny },
        { "both sections", [Cnp("ingress:\n- fromEndpoints: [{}]\negress:\n- toEndpoints: [{}]")], EnforcementMode.Default, Deny, Deny },
        { "ingress: [{}] is the default-deny idiom", [Cnp("ingress:\n- {}")], EnforcementMode.Default, Deny, Off },
        { "ingress: [] does not turn it on", [Cnp("ingress: []\negress:\n- {}")], EnforcementMode.Default, Off, Deny },
        { "deny-only policy counts", [Cnp("ingressDeny:\n- fromEntities: [world]")], EnforcementMode.Default, Deny, Off },
        { "egressDeny-only policy counts", [Cnp("egressDeny:\n- toEntities: [world]")], EnforcementMode.Default, Off, Deny },
        { "enableDefaultDeny ingress false", [Cnp("enableDefaultDeny: {ingress: false}\ningress:\n- fromEndpoints: [{}]")], EnforcementMode.Default, Off, Off },
        { "enableDefaultDeny egress false keeps ingress", [Cnp("enableDefaultDeny: {egress: false}\ningress:\n- fromEndpoints: [{}]\negress:\n- toEndpoints: [{}]")], EnforcementMode.Default, Deny, Off },
        { "enableDefaultDeny true without a section", [Cnp("enableDefaultDeny: {egress: true}\ningress:\n- fromEndpoints: [{}]")], EnforcementMode.Default, Deny, Deny },
        { "any selecting rule asking wins over one opting out", [Cnp("enableDefaultDeny: {ingress: false}\ningress:\n- fromEndpoints: [{}]", name: "a"), Cnp("ingress:\n- fromEndpoints: [{}]", name: "b")], EnforcementMode.Default, Deny, Off },
        { "policy selecting another endpoint", ["apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n  - {}"], EnforcementMode.Default, Off, Off },
        { "CNP of another namespace", [Cnp("ingress:\n- {}", ns: "other")], EnforcementMode.Default, Off, Off },
        { "CCNP selects across namespaces", [Ccnp("egress:\n- {}")], EnforcementMode.Default, Off, Deny },
        { "always without policy", [], EnforcementMode.Always, Deny, Deny },
        { "always with an egress-only policy", [Cnp("egress:\n- toEndpoints: [{}]")], EnforcementMode.Always, Deny, Deny },
        { "never with policy", [Cnp("ingress:\n- fromEndpoints: [{}]\negress:\n- {}")], EnforcementMode.Never, Off, Off },
        { "NetworkPolicy default policyTypes = Ingress", [NetPol("podSelector: {matchLabels: {app: api}}")], EnforcementMode.Default, Deny, Off },
        { "NetworkPolicy Egress type only", [NetPol("podSelector: {}\npolicyTypes: [Egress]")], EnforcementMode.Default, Off, Deny },
        { "NetworkPolicy with egress rules and no policyTypes", [NetPol("podSelector: {}\negress:\n- to: [{podSelector: {}}]")], EnforcementMode.Default, Deny, Deny },
        { "NetworkPolicy not selecting", [NetPol("podSelector: {matchLabels: {app: db}}\npolicyTypes: [Ingress, Egress]")], EnforcementMode.Default, Off, Off },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Enforcement_FollowsSelectingRules(string name, string[] policies, EnforcementMode mode, EnforcementState ingress, EnforcementState egress)
    {
        var world = Create(mode);
        foreach (var policy in policies)
        {
            world.Policy(policy);
        }

        var state = world.Engine.GetMapState(Api);
        Assert.True((ingress, egress) == (state.Ingress, state.Egress), $"{name}: expected {ingress}/{egress}, got {state.Ingress}/{state.Egress}");
    }

    [Fact]
    public void NeverMode_HasNoEntriesAndForwardsEverything()
    {
        var world = Create(EnforcementMode.Never);
        world.Policy(Cnp("ingressDeny:\n- fromEndpoints: [{}]"));
        Assert.Empty(world.Lines(Api));
        Assert.Equal(LookupDecision.AllowedNoPolicy, world.Decide(Api, TrafficDirection.Ingress, Web, IpProtocol.Tcp, 80));
    }

    [Theory]
    [InlineData(TrafficDirection.Ingress, LookupDecision.DeniedByDefault)]
    [InlineData(TrafficDirection.Egress, LookupDecision.AllowedNoPolicy)]
    public void DefaultDeny_DropsUnmatchedOnlyInItsDirection(TrafficDirection direction, LookupDecision expected)
    {
        var world = Create();
        world.Policy(Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]"));
        Assert.Equal(expected, world.Decide(Api, direction, Db, IpProtocol.Tcp, 5432));
    }
}
