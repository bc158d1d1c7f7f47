using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// Entities → reserved identities (Cilium's numbers) and CIDR/CIDRSet → identities by prefix containment,
/// including the local CIDR identities (from 16777217, allocated in prefix order) the policy's prefixes get.
/// Egress of endpoint 300 unless noted.
/// </summary>
public class EntityAndCidrSemanticsTests
{
    private static string[] Allow(string direction, params string[] identities) =>
        [.. identities.Select(i => $"{direction} identity={i} any: allow by cnp/shop/p[0]")];

    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "host", Cnp("egress:\n- toEntities: [host]"), Allow("egress", "1") },
        { "world = world identities and every prefix identity", Cnp("egress:\n- toEntities: [world]"), Allow("egress", "2", "9", "10", "400") },
        { "cluster = reserved cluster identities and every pod", Cnp("egress:\n- toEntities: [cluster]"),
            Allow("egress", "1", "3", "4", "5", "6", "7", "8", "300", "301", "302", "303", "304") },
        { "remote-node includes kube-apiserver", Cnp("egress:\n- toEntities: [remote-node]"), Allow("egress", "6", "7") },
        { "kube-apiserver", Cnp("egress:\n- toEntities: [kube-apiserver]"), Allow("egress", "7") },
        { "health", Cnp("egress:\n- toEntities: [health]"), Allow("egress", "4") },
        { "init", Cnp("egress:\n- toEntities: [init]"), Allow("egress", "5") },
        { "unmanaged", Cnp("egress:\n- toEntities: [unmanaged]"), Allow("egress", "3") },
        { "ingress", Cnp("egress:\n- toEntities: [ingress]"), Allow("egress", "8") },
        { "all is the any-identity wildcard", Cnp("egress:\n- toEntities: [all]"), Allow("egress", "any") },
        { "none selects nothing", Cnp("egress:\n- toEntities: [none]"), [] },
        { "two entities are ORed", Cnp("egress:\n- toEntities: [host, health]"), Allow("egress", "1", "4") },
        { "fromEntities on ingress", Cnp("ingress:\n- fromEntities: [kube-apiserver]"), Allow("ingress", "7") },
        { "toCIDR selects contained prefix identities and its own CIDR identity", Cnp("egress:\n- toCIDR: [192.0.2.0/24]"),
            Allow("egress", "400", "16777217") },
        { "toCIDR narrower than an external prefix does not select it", Cnp("egress:\n- toCIDR: [192.0.2.0/25]"),
            Allow("egress", "16777217") },
        { "toCIDR never selects cluster pods", Cnp("egress:\n- toCIDR: [0.0.0.0/1]"), Allow("egress", "16777217") },
        { "0.0.0.0/0 also selects the world and IPv4 world identities", Cnp("egress:\n- toCIDR: [0.0.0.0/0]"),
            Allow("egress", "2", "9", "400", "16777217") },
        { "::/0 selects the world and IPv6 world identities, not IPv4 prefixes", Cnp("egress:\n- toCIDR: [\"::/0\"]"),
            Allow("egress", "2", "10", "16777217") },
        { "toCIDRSet except carves out the except prefix identity", Cnp("egress:\n- toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]"),
            Allow("egress", "16777217") },
        { "except does not remove a wider prefix that contains it", Cnp("egress:\n- toCIDRSet: [{cidr: 192.0.0.0/8, except: [192.0.2.128/25]}]"),
            Allow("egress", "400", "16777217") },
        { "except covering the external prefix removes it", Cnp("egress:\n- toCIDRSet: [{cidr: 192.0.0.0/8, except: [192.0.2.0/24]}]"),
            Allow("egress", "16777217") },
        { "fromCIDR on ingress", Cnp("ingress:\n- fromCIDR: [192.0.2.0/24]"), Allow("ingress", "400", "16777217") },
        { "two CIDRs: identities in prefix order, each selecting itself", Cnp("egress:\n- toCIDR: [198.51.100.0/24, 10.0.0.0/8]"),
            Allow("egress", "16777217", "16777218") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PeerIdentities_MatchCiliumSemantics(string name, string yaml, string[] expected)
    {
        var world = Create();
        world.Policy(yaml);
        Assert.True(expected.SequenceEqual(world.Lines(Api)), $"{name}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", world.Lines(Api))}");
    }

    [Fact]
    public void CidrIdentities_AreReportedAndReleasedWithThePolicy()
    {
        var world = Create();
        world.Policy(Cnp("egress:\n- toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]"));
        var prefixes = world.Engine.CidrIdentities.OrderBy(kv => kv.Value).Select(kv => $"{kv.Key}={kv.Value}").ToArray();
        Assert.Equal(["10.0.0.0/8=16777217", "10.96.0.0/12=16777218"], prefixes);
        world.Engine.RemovePolicy("p0");
        Assert.Empty(world.Engine.CidrIdentities);
        Assert.False(world.Engine.Identities.ContainsKey(16777217));
    }

    [Fact]
    public void WorldEntity_SelectsCidrIdentitiesOfOtherPolicies()
    {
        var world = Create();
        world.Policy(Cnp("egress:\n- toCIDR: [198.51.100.0/24]", name: "cidr"));
        world.Policy(Cnp("egress:\n- toEntities: [world]", name: "p"));
        Assert.Contains("egress identity=16777217 any: allow by cnp/shop/cidr[0],cnp/shop/p[0]", world.Lines(Api));
    }
}
