using System.Text;
using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Properties;

/// <summary>
/// Builds a <see cref="PolicyEngine"/> for a scenario and samples its verdicts: every local endpoint ×
/// every known peer identity (workloads, reserved identities, outside addresses) × both directions ×
/// a fixed set of protocol/port points, decided by <see cref="EndpointMapState.Lookup"/> as the datapath
/// decides them. Peer identity numbers are fixed by the scenario, so two engines built from different
/// policy sets are compared point by point.
/// </summary>
internal static class ScenarioEngine
{
    /// <summary>Addresses outside the cluster, as CIDR identities near the top of the local scope
    /// (clear of the identities the engine allocates for rule prefixes, which count up from its base).</summary>
    private static readonly IReadOnlyList<Identity> Outside = [.. new[] { "10.1.2.3/32", "10.200.0.1/32", "192.0.2.200/32", "203.0.113.7/32", "8.8.8.8/32", "fd00::1/128" }
        .Select((p, i) => Identity.ForCidr(IdentityScope.RemoteNodeScopeBase - 256 + (uint)i, IpPrefix.Parse(p)))];

    private static readonly (byte Protocol, ushort Port)[] Points =
    [
        (IpProtocol.Tcp, 53), (IpProtocol.Tcp, 80), (IpProtocol.Tcp, 81), (IpProtocol.Tcp, 443), (IpProtocol.Tcp, 8080), (IpProtocol.Tcp, 8100),
        (IpProtocol.Udp, 53), (IpProtocol.Udp, 80), (IpProtocol.Udp, 9999), (IpProtocol.Sctp, 80), (IpProtocol.Sctp, 443),
        (IpProtocol.Icmp, 0), (IpProtocol.Icmp, 3), (IpProtocol.Icmp, 8), (IpProtocol.Icmp, 11), (IpProtocol.IcmpV6, 128), (IpProtocol.IcmpV6, 2),
    ];

    /// <summary>Parses one generated policy; the generators only make valid policies, so an error fails the test.</summary>
    public static PolicyDocument Parse(GeneratedPolicy policy)
    {
        var result = PolicyParser.ParseText(policy.ToYaml(), policy.Name + ".yaml");
        Assert.False(result.HasErrors, "generated policy rejected:\n" + policy.ToYaml() + "\n" + string.Join("\n", result.Diagnostics));
        return Assert.Single(result.Documents);
    }

    /// <summary>An engine with the scenario's endpoints and identities and the given documents, installed in order.</summary>
    public static PolicyEngine Build(PolicyScenario scenario, IEnumerable<PolicyDocument> documents, EnforcementMode mode = EnforcementMode.Default)
    {
        var engine = new PolicyEngine(mode);
        foreach (var identity in PeerIdentities(scenario))
        {
            engine.UpsertIdentity(identity);
        }

        foreach (var endpoint in Endpoints(scenario))
        {
            engine.UpsertEndpoint(endpoint);
        }

        foreach (var document in documents)
        {
            engine.SetPolicy(document);
        }

        return engine;
    }

    /// <summary>The sampled verdicts: (endpoint, peer, direction, protocol, port) → forwarded.</summary>
    public static Dictionary<(ulong Endpoint, uint Peer, TrafficDirection Direction, byte Protocol, ushort Port), bool> Verdicts(PolicyScenario scenario, PolicyEngine engine)
    {
        var verdicts = new Dictionary<(ulong, uint, TrafficDirection, byte, ushort), bool>();
        var peers = PeerIdentities(scenario).Select(i => i.Id).ToList();
        foreach (var endpoint in Endpoints(scenario))
        {
            var state = engine.GetMapState(endpoint.Id);
            Assert.Empty(state.FindLpmViolations());
            foreach (var peer in peers)
            {
                foreach (var direction in new[] { TrafficDirection.Ingress, TrafficDirection.Egress })
                {
                    foreach (var (protocol, port) in Points)
                    {
                        verdicts[(endpoint.Id, peer, direction, protocol, port)] = state.Lookup(peer, direction, protocol, port).Forwarded;
                    }
                }
            }
        }

        return verdicts;
    }

    /// <summary>
    /// The engine's map states as text with every CIDR identity the engine allocated written as its prefix,
    /// so that states are comparable whatever order the prefixes were allocated in.
    /// </summary>
    public static string CanonicalMapStates(PolicyEngine engine, bool withOrigins)
    {
        var prefixOf = engine.CidrIdentities.ToDictionary(kv => kv.Value, kv => kv.Key.ToString());
        var text = new StringBuilder();
        foreach (var state in engine.MapStates.OrderBy(s => s.EndpointId))
        {
            text.Append("endpoint ").Append(state.EndpointId).Append(' ').Append(state.Ingress).Append(' ').Append(state.Egress).Append('\n');
            var lines = state.Entries.Select(kv =>
            {
                string peer = prefixOf.TryGetValue(kv.Key.RemoteIdentity, out var prefix) ? "cidr:" + prefix : kv.Key.RemoteIdentity.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string key = kv.Key.ToString().Replace($"identity={(kv.Key.RemoteIdentity == 0 ? "any" : kv.Key.RemoteIdentity.ToString(System.Globalization.CultureInfo.InvariantCulture))}", "identity=" + peer, StringComparison.Ordinal);
                string value = withOrigins ? kv.Value.ToString() : (kv.Value.Deny ? "deny" : "allow") + (kv.Value.Audit ? " audit" : string.Empty);
                return key + ": " + value;
            });
            foreach (var line in lines.Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The sampled protocol/port points (ICMP types in the port field).</summary>
    public static IReadOnlyList<(byte Protocol, ushort Port)> SamplePoints => Points;

    /// <summary>The scenario's local endpoints, with the identities <see cref="Build"/> gives them.</summary>
    public static IEnumerable<EndpointInfo> Endpoints(PolicyScenario scenario) =>
        scenario.Local.Select((w, i) => new EndpointInfo((ulong)(i + 1), w.Name, w.Namespace,
            new Identity(IdentityScope.FirstLabelIdentity + (uint)i, WellKnownLabels.ForEndpoint(w.Namespace, w.Labels))));

    /// <summary>Every peer identity the scenario knows: local and remote workloads, reserved, outside addresses.</summary>
    public static IEnumerable<Identity> PeerIdentities(PolicyScenario scenario) =>
        Endpoints(scenario).Select(e => e.Identity)
            .Concat(scenario.Remote.Select((w, i) => new Identity(IdentityScope.FirstLabelIdentity + 100 + (uint)i, WellKnownLabels.ForEndpoint(w.Namespace, w.Labels))))
            .Concat(Identity.AllReserved)
            .Concat(Outside);
}
