using System.Globalization;
using System.Text;
using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;

namespace Sluice.Policy.Benchmarks;

/// <summary>
/// A generated, reproducible cluster: 10 000 pod identities over 50 namespaces and 500 apps (tiers web,
/// api, db, cache), 100 of them local endpoints (drawn from the 50 busiest apps), and 1 000 policy rules:
/// 200 CiliumNetworkPolicies × 4 rules (L3/L4 allows, egress to tiers and the API server, CIDR sets with
/// except, ingress and egress denies), 40 clusterwide policies × 4 rules (cross-namespace allows, entity
/// rules, a cluster-wide DNS allow, world denies) and 40 Kubernetes NetworkPolicies.
/// </summary>
public sealed class PolicyWorkload
{
    private static readonly string[] Tiers = ["web", "api", "db", "cache"];

    /// <summary>Generates the workload from a fixed seed.</summary>
    public PolicyWorkload(int identityCount = 10_000, int endpointCount = 100, int seed = 42)
    {
        var random = new Random(seed);
        var identities = new List<Identity>(identityCount);
        for (int i = 0; i < identityCount; i++)
        {
            // The first endpointCount identities are the local endpoints; they run the 50 busiest apps.
            int app = i < endpointCount ? i % 50 : random.Next(500);
            identities.Add(Pod((uint)(IdentityScope.FirstLabelIdentity + i), $"ns{random.Next(50)}", $"app{app}", Tiers[random.Next(4)], $"v{random.Next(4)}"));
        }

        Identities = identities;
        Endpoints = [.. identities.Take(endpointCount).Select((id, i) => new EndpointInfo((ulong)(i + 1), "ep" + i.ToString(CultureInfo.InvariantCulture),
            id.Labels.First(l => l.Key == WellKnownLabels.PodNamespace).Value, id))];
        var yaml = new StringBuilder();
        for (int d = 0; d < 200; d++)
        {
            yaml.Append(CiliumPolicy(random, d)).Append("---\n");
        }

        for (int d = 0; d < 40; d++)
        {
            yaml.Append(ClusterwidePolicy(random, d)).Append("---\n");
        }

        for (int d = 0; d < 40; d++)
        {
            yaml.Append(NetworkPolicy(random, d)).Append("---\n");
        }

        var parsed = PolicyParser.ParseText(yaml.ToString(), "workload.yaml");
        if (parsed.HasErrors)
        {
            throw new InvalidOperationException("generated workload does not parse:\n" + string.Join("\n", parsed.Errors.Take(5)));
        }

        Documents = parsed.Documents;
        RuleCount = Documents.Sum(d => d.Kind == PolicyKind.KubernetesNetworkPolicy ? 1 : d.Rules.Count);
    }

    /// <summary>All pod identities.</summary>
    public IReadOnlyList<Identity> Identities { get; }

    /// <summary>The local endpoints (their identities are the first entries of <see cref="Identities"/>).</summary>
    public IReadOnlyList<EndpointInfo> Endpoints { get; }

    /// <summary>The policy documents.</summary>
    public IReadOnlyList<PolicyDocument> Documents { get; }

    /// <summary>The number of rules over all documents.</summary>
    public int RuleCount { get; }

    /// <summary>A pod identity with namespace, app, tier and version labels.</summary>
    public static Identity Pod(uint id, string ns, string app, string tier, string version) =>
        new(id, WellKnownLabels.ForEndpoint(ns, [new("app", app), new("tier", tier), new("version", version)]));

    /// <summary>Builds an engine holding the whole workload: identities, then policies, then endpoints.</summary>
    public PolicyEngine BuildEngine()
    {
        var engine = new PolicyEngine();
        foreach (var identity in Identities)
        {
            engine.UpsertIdentity(identity);
        }

        for (int i = 0; i < Documents.Count; i++)
        {
            engine.SetPolicy("doc" + i.ToString(CultureInfo.InvariantCulture), Documents[i]);
        }

        foreach (var endpoint in Endpoints)
        {
            engine.UpsertEndpoint(endpoint);
        }

        return engine;
    }

    /// <summary>Replaces «i» in <paramref name="template"/> by the i-th value (raw strings full of YAML braces read better without interpolation).</summary>
    private static string Fill(string template, params object[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            template = template.Replace("«" + i.ToString(CultureInfo.InvariantCulture) + "»", Convert.ToString(values[i], CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return template;
    }

    private static string HotApp(Random r) => "app" + r.Next(50).ToString(CultureInfo.InvariantCulture);

    private static string AnyApp(Random r) => "app" + r.Next(500).ToString(CultureInfo.InvariantCulture);

    private static string CiliumPolicy(Random r, int d) => Fill("""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: cnp«0», namespace: ns«1»}
        specs:
        - endpointSelector: {matchLabels: {app: «2»}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: «3»}}, {matchLabels: {app: «4», tier: web}}]
            toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "8080", endPort: 8090, protocol: TCP}]}]
        - endpointSelector: {matchLabels: {app: «5»}}
          egress:
          - toEndpoints: [{matchExpressions: [{key: tier, operator: In, values: [db, cache]}]}, {matchLabels: {app: «6»}}]
            toPorts: [{ports: [{port: "5432", protocol: TCP}, {port: "6379", protocol: TCP}]}]
          - toEntities: [kube-apiserver]
            toPorts: [{ports: [{port: "443", protocol: TCP}]}]
        - endpointSelector: {matchExpressions: [{key: tier, operator: In, values: [web]}, {key: version, operator: NotIn, values: [v0]}]}
          egress:
          - toCIDRSet: [{cidr: 10.«7».0.0/16, except: [10.«8».1.0/24]}]
            toPorts: [{ports: [{port: "443", protocol: TCP}]}]
          - toCIDR: [203.0.113.«9»/32]
        - endpointSelector: {matchLabels: {app: «10»}}
          ingressDeny:
          - fromEndpoints: [{matchLabels: {tier: cache}}]
            toPorts: [{ports: [{port: "22", protocol: TCP}]}]
          egressDeny:
          - toEntities: [world]
            toPorts: [{ports: [{port: "25", protocol: TCP}]}]

        """, d, d % 50, HotApp(r), AnyApp(r), AnyApp(r), HotApp(r), AnyApp(r), d % 250, d % 250, d % 250, HotApp(r));

    private static string ClusterwidePolicy(Random r, int d)
    {
        // One clusterwide rule admits the whole cluster to DNS (which expands to every identity, as the
        // cluster entity does in Cilium); the others use narrower entities.
        string entities = d == 0 ? "[cluster]" : "[host, remote-node, health]";
        return Fill("""
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata: {name: ccnp«0»}
            specs:
            - endpointSelector: {matchLabels: {tier: api, app: «1»}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: «2», k8s:io.kubernetes.pod.namespace: ns«3»}}]
            - endpointSelector: {matchLabels: {app: app«4»}}
              ingress:
              - fromEntities: «5»
                toPorts: [{ports: [{port: "53", protocol: UDP}, {port: "53", protocol: TCP}]}]
            - endpointSelector: {matchLabels: {tier: db}}
              ingressDeny:
              - fromEntities: [world]
              - fromCIDR: [198.51.100.«6»/32]
            - endpointSelector: {}
              egress:
              - toEndpoints: [{matchLabels: {app: app0}}]
                toPorts: [{ports: [{port: "53", protocol: UDP}]}]

            """, d, HotApp(r), AnyApp(r), r.Next(50), d % 50, entities, d);
    }

    private static string NetworkPolicy(Random r, int d) => Fill("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: np«0», namespace: ns«1»}
        spec:
          podSelector: {matchLabels: {app: «2»}}
          policyTypes: [Ingress]
          ingress:
          - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns«3»}}, podSelector: {matchLabels: {tier: web}}}]
            ports: [{port: 80}, {protocol: UDP, port: 5353}]

        """, d, d % 50, HotApp(r), r.Next(50));
}
