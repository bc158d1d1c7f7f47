using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.MapState;

namespace Sluice.Policy.Tests.Engine;

/// <summary>A pool of policies and random pods over a small label space, for change-sequence tests.</summary>
public static class RandomPolicies
{
    private static readonly string[] Apps = ["a", "b", "c"];
    private static readonly string[] Namespaces = ["n1", "n2"];

    public static IReadOnlyList<string> Pool { get; } =
    [
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p1, namespace: n1}\nspec:\n  endpointSelector: {matchLabels: {app: a}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: b}}]\n    toPorts: [{ports: [{port: \"80\", endPort: 90, protocol: TCP}]}]",
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p2, namespace: n1}\nspec:\n  endpointSelector: {}\n  ingressDeny:\n  - fromEndpoints: [{matchLabels: {app: c}}]\n    toPorts: [{ports: [{port: \"85\", protocol: TCP}]}]\n  egress:\n  - toEntities: [world]",
        "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: p3}\nspec:\n  endpointSelector: {matchExpressions: [{key: app, operator: In, values: [a, b]}]}\n  ingress:\n  - fromEndpoints: [{}]\n  egressDeny:\n  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}]",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p4, namespace: n1}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: n2}}}]\n    ports: [{port: 80}, {protocol: UDP, port: 53}]",
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p5, namespace: n1}\nspec:\n  endpointSelector: {matchLabels: {app: b}}\n  ingress:\n  - toPorts: [{ports: [{port: \"0\", protocol: TCP}]}]\n  ingressDeny:\n  - fromEndpoints: [{matchLabels: {app: a}}]\n  egress:\n  - toCIDR: [10.0.0.0/8, 192.0.2.0/24]",
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p6, namespace: n1}\nspec:\n  endpointSelector: {matchLabels: {app: c}}\n  enableDefaultDeny: {ingress: false}\n  ingress:\n  - fromEntities: [cluster]\n    icmps: [{fields: [{type: 8}]}]\n  ingressDeny:\n  - fromEntities: [all]\n    toPorts: [{ports: [{port: \"22\", protocol: TCP}]}]",
    ];

    /// <summary>A pod identity with random app/namespace labels.</summary>
    public static Identity RandomPod(Random random, uint id)
    {
        string ns = Namespaces[random.Next(Namespaces.Length)];
        var labels = new Dictionary<string, string> { ["app"] = Apps[random.Next(Apps.Length)] };
        return new Identity(id, Labels.WellKnownLabels.ForEndpoint(ns, labels));
    }

    /// <summary>Applies a delta to a map state, as the datapath writer would.</summary>
    public static EndpointMapState Apply(EndpointMapState before, MapStateDelta delta)
    {
        var entries = before.Entries.ToDictionary(e => e.Key, e => e.Value);
        foreach (var key in delta.Removed)
        {
            if (!entries.Remove(key))
            {
                throw new InvalidOperationException($"delta removes absent key {key}");
            }
        }

        foreach (var kv in delta.Added)
        {
            if (!entries.TryAdd(kv.Key, kv.Value))
            {
                throw new InvalidOperationException($"delta adds present key {kv.Key}");
            }
        }

        foreach (var kv in delta.Changed)
        {
            if (!entries.ContainsKey(kv.Key))
            {
                throw new InvalidOperationException($"delta changes absent key {kv.Key}");
            }

            entries[kv.Key] = kv.Value;
        }

        return new EndpointMapState(delta.EndpointId, delta.Ingress, delta.Egress, [.. entries.OrderBy(e => e.Key)]);
    }
}
