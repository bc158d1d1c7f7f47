using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Tests.Semantics;
using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Engine;

/// <summary>
/// Incremental updates return exactly the change: one identity touches one column, a policy change only
/// the endpoints it selects, and replaying any sequence of changes equals computing from scratch.
/// </summary>
public class IncrementalEngineTests
{
    private const string AllowWeb80 = "ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]\n  toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]";

    private static string Render(IReadOnlyList<MapStateDelta> deltas) => string.Concat(deltas.Select(d => d.ToString()));

    [Fact]
    public void AddIdentity_SelectedByARule_AddsOnlyItsEntry()
    {
        var world = Create();
        world.Policy(Cnp(AllowWeb80));
        var deltas = world.Pod(310, "shop", "app=web,version=2");
        Assert.Equal("endpoint 300\n+ ingress identity=310 tcp/80: allow by cnp/shop/p[0]\n", Render(deltas));
    }

    [Fact]
    public void AddIdentity_NotSelected_ChangesNothing()
    {
        var world = Create();
        world.Policy(Cnp(AllowWeb80));
        Assert.Empty(world.Pod(311, "other", "app=web"));
        Assert.Empty(world.Pod(312, "shop", "app=cache"));
    }

    [Fact]
    public void RemoveIdentity_RemovesItsEntries()
    {
        var world = Create();
        world.Policy(Cnp(AllowWeb80));
        Assert.Equal("endpoint 300\n- ingress identity=301 tcp/80\n", Render(world.Engine.RemoveIdentity(Web)));
        Assert.Empty(world.Engine.RemoveIdentity(Web));
    }

    [Fact]
    public void RelabelIdentity_OutOfTheSelector_RemovesItsEntry()
    {
        var world = Create();
        world.Policy(Cnp(AllowWeb80));
        var deltas = world.Pod(Web, "shop", "app=db");
        Assert.Equal("endpoint 300\n- ingress identity=301 tcp/80\n", Render(deltas));
    }

    [Fact]
    public void RelabelIdentity_IntoASecondRule_ChangesItsOrigins()
    {
        var world = Create();
        world.Policy(Cnp(AllowWeb80));
        world.Policy(Cnp("ingress:\n- fromEndpoints: [{matchLabels: {tier: front}}]\n  toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]", name: "q"));
        var deltas = world.Pod(Web, "shop", "app=web,tier=front");
        Assert.Equal("endpoint 300\n~ ingress identity=301 tcp/80: allow by cnp/shop/p[0],cnp/shop/q[0]\n", Render(deltas));
    }

    [Fact]
    public void ReplacePolicy_ReturnsOnlyTheDifference()
    {
        var world = Create();
        world.Engine.SetPolicy("k", PolicyWorld.Parse(Cnp(AllowWeb80))[0]);
        var deltas = world.Engine.SetPolicy("k", PolicyWorld.Parse(Cnp(AllowWeb80.Replace("\"80\"", "\"8080\"", StringComparison.Ordinal)))[0]);
        Assert.Equal("endpoint 300\n+ ingress identity=301 tcp/8080: allow by cnp/shop/p[0]\n- ingress identity=301 tcp/80\n", Render(deltas));
    }

    [Fact]
    public void ReplacePolicy_WithSameContent_ChangesNothing()
    {
        var world = Create();
        world.Engine.SetPolicy("k", PolicyWorld.Parse(Cnp(AllowWeb80))[0]);
        Assert.Empty(world.Engine.SetPolicy("k", PolicyWorld.Parse(Cnp(AllowWeb80))[0]));
    }

    [Fact]
    public void RemovePolicy_RemovesEntriesAndEnforcement()
    {
        var world = Create();
        world.Engine.SetPolicy("k", PolicyWorld.Parse(Cnp(AllowWeb80))[0]);
        var deltas = world.Engine.RemovePolicy("k");
        Assert.Equal("endpoint 300 enforcement ingress=Off egress=Off\n- ingress identity=301 tcp/80\n", Render(deltas));
        Assert.Empty(world.Engine.RemovePolicy("k"));
    }

    [Fact]
    public void PolicyForAnotherEndpoint_DoesNotTouchThisOne()
    {
        var world = Create();
        world.Endpoint(320, "shop", "app=web");
        var deltas = world.Policy("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: w, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: api}}]");
        Assert.Equal([320UL], deltas.Select(d => d.EndpointId));
        Assert.Equal("endpoint 320 enforcement ingress=DefaultDeny egress=Off\n+ ingress identity=300 any: allow by cnp/shop/w[0]\n", Render(deltas));
    }

    [Fact]
    public void RelabelEndpoint_OutOfThePolicy_DropsEverything()
    {
        var world = Create();
        world.Policy(Cnp(AllowWeb80));
        var deltas = world.Engine.UpsertEndpoint(new EndpointInfo(Api, "ep300", "shop", PolicyWorld.PodIdentity(Api, "shop", "app=batch")));
        Assert.Equal("endpoint 300 enforcement ingress=Off egress=Off\n- ingress identity=301 tcp/80\n", Render(deltas));
    }

    [Fact]
    public void AddAndRemoveEndpoint_AddsAndRemovesItsWholeState()
    {
        var world = Create();
        world.Policy(Cnp(AllowWeb80));
        var added = world.Endpoint(330, "shop", "app=api,replica=2");
        Assert.Equal("endpoint 330 enforcement ingress=DefaultDeny egress=Off\n+ ingress identity=301 tcp/80: allow by cnp/shop/p[0]\n", Render(added));
        var removed = world.Engine.RemoveEndpoint(330);
        Assert.Equal("endpoint 330 removed enforcement ingress=Off egress=Off\n- ingress identity=301 tcp/80\n", Render(removed));
        Assert.Throws<KeyNotFoundException>(() => world.Engine.GetMapState(330));
    }

    [Fact]
    public void NewEndpoint_IsAlsoAPeerOfOthers()
    {
        var world = Create();
        world.Policy(Cnp("egress:\n- toEndpoints: [{matchLabels: {app: cache}}]"));
        var deltas = world.Endpoint(340, "shop", "app=cache");
        Assert.Contains(deltas, d => d.EndpointId == Api && d.Added.Any(a => a.Key.RemoteIdentity == 340));
    }

    [Fact]
    public void CidrPolicy_AllocatesIdentitiesSelectedByExistingWorldRules()
    {
        var world = Create();
        world.Policy(Cnp("egress:\n- toEntities: [world]", name: "w"));
        var deltas = world.Policy(Cnp("egress:\n- toCIDR: [203.0.113.0/24]\n  toPorts: [{ports: [{port: \"443\", protocol: TCP}]}]", name: "c"));
        Assert.Equal("endpoint 300\n+ egress identity=16777217 any: allow by cnp/shop/w[0]\n+ egress identity=16777217 tcp/443: allow by cnp/shop/c[0]\n", Render(deltas));
    }

    [Fact]
    public void ReplacePolicies_NumbersCidrIdentitiesIndependentlyOfArgumentOrder()
    {
        var a = PolicyWorld.Parse(Cnp("egress:\n- toCIDR: [10.0.0.0/8]", name: "a"))[0];
        var b = PolicyWorld.Parse(Cnp("egress:\n- toCIDR: [192.168.0.0/16]", name: "b"))[0];
        var first = Create();
        first.Engine.ReplacePolicies([("a", a, false), ("b", b, false)]);
        var second = Create();
        second.Engine.ReplacePolicies([("b", b, false), ("a", a, false)]);
        Assert.Equal(first.Engine.GetMapState(Api).ToString(), second.Engine.GetMapState(Api).ToString());
        Assert.Contains("egress identity=cidr:10.0.0.0/8 any: allow by cnp/shop/a[0]", first.Engine.RenderMapStates(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReplacePolicies_RemovesStaleKeysInOneDelta()
    {
        var world = Create();
        var a = PolicyWorld.Parse(Cnp(AllowWeb80, name: "a"))[0];
        var b = PolicyWorld.Parse(Cnp("egress:\n- toEntities: [host]", name: "b"))[0];
        world.Engine.ReplacePolicies([("a", a, false)]);
        var deltas = world.Engine.ReplacePolicies([("b", b, false)]);
        Assert.Equal("endpoint 300 enforcement ingress=Off egress=DefaultDeny\n+ egress identity=1 any: allow by cnp/shop/b[0]\n- ingress identity=301 tcp/80\n", Render(deltas));
    }

    /// <summary>
    /// Random sequences of identity, endpoint and policy changes: after every step, the previous map state
    /// plus the returned delta equals the new map state; at the end, the state equals a fresh computation.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomChanges_IncrementalEqualsFromScratch(int seed)
    {
        var random = new Random(seed);
        var policies = RandomPolicies.Pool.Select(y => PolicyWorld.Parse(y)[0]).ToArray();
        var engine = new PolicyEngine();
        var installed = new Dictionary<string, (Model.PolicyDocument Document, bool Audit)>();
        var snapshots = new Dictionary<ulong, EndpointMapState>();
        int changedKeys = 0;
        for (int step = 0; step < 150; step++)
        {
            IReadOnlyList<MapStateDelta> deltas;
            switch (random.Next(6))
            {
                case 0:
                    deltas = engine.UpsertIdentity(RandomPolicies.RandomPod(random, (uint)random.Next(1000, 1020)));
                    break;
                case 1:
                    deltas = engine.RemoveIdentity((uint)random.Next(1000, 1020));
                    break;
                case 2:
                    {
                        ulong id = (ulong)random.Next(1, 5);
                        deltas = engine.UpsertEndpoint(new EndpointInfo(id, "e", "n1", RandomPolicies.RandomPod(random, 2000 + (uint)id)));
                        break;
                    }

                case 3:
                    deltas = engine.RemoveEndpoint((ulong)random.Next(1, 5));
                    break;
                case 4:
                    {
                        string key = "k" + random.Next(6);
                        var document = policies[random.Next(policies.Length)];
                        bool audit = random.Next(4) == 0;
                        installed[key] = (document, audit);
                        deltas = engine.SetPolicy(key, document, audit);
                        break;
                    }

                default:
                    {
                        string key = "k" + random.Next(6);
                        installed.Remove(key);
                        deltas = engine.RemovePolicy(key);
                        break;
                    }
            }

            foreach (var delta in deltas)
            {
                changedKeys += delta.Added.Count + delta.Changed.Count + delta.Removed.Count;
                var before = snapshots.GetValueOrDefault(delta.EndpointId) ?? EndpointMapState.Empty(delta.EndpointId);
                var applied = RandomPolicies.Apply(before, delta);
                if (delta.EndpointRemoved)
                {
                    Assert.Empty(applied.Entries);
                    snapshots.Remove(delta.EndpointId);
                    continue;
                }

                Assert.Equal(engine.GetMapState(delta.EndpointId).ToString(), applied.ToString());
                snapshots[delta.EndpointId] = applied;
            }

            foreach (var state in engine.MapStates)
            {
                Assert.Equal(state.ToString(), (snapshots.GetValueOrDefault(state.EndpointId) ?? EndpointMapState.Empty(state.EndpointId)).ToString());
                Assert.Empty(state.FindLpmViolations());
            }
        }

        // The sequence must actually exercise the engine, not compare empty states.
        Assert.True(changedKeys > 100, $"only {changedKeys} key changes in the sequence");
        var fresh = new PolicyEngine();
        foreach (var identity in engine.Identities.Values.Where(i => i.Id >= IdentityScope.FirstLabelIdentity && !IdentityScope.IsLocal(i.Id)))
        {
            fresh.UpsertIdentity(identity);
        }

        foreach (var (key, (document, audit)) in installed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            fresh.SetPolicy(key, document, audit);
        }

        foreach (var endpoint in engine.Endpoints)
        {
            fresh.UpsertEndpoint(endpoint);
        }

        Assert.Equal(fresh.RenderMapStates(), engine.RenderMapStates());
    }
}
