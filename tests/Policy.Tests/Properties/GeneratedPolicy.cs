using System.Text.Json;

namespace Sluice.Policy.Tests.Properties;

/// <summary>
/// A randomly generated, valid policy document (CNP, CCNP or Kubernetes NetworkPolicy) as plain data,
/// rendered to the YAML a user would write. The rules are kept as JSON-like trees (dictionaries and lists)
/// so that a rule can be added, removed or reordered without knowing the parser's model types.
/// </summary>
/// <param name="Kind"><c>CiliumNetworkPolicy</c>, <c>CiliumClusterwideNetworkPolicy</c> or <c>NetworkPolicy</c>.</param>
/// <param name="Name">metadata.name, unique within a scenario.</param>
/// <param name="Namespace">metadata.namespace for the namespaced kinds; null for the clusterwide kind.</param>
/// <param name="Rules">The Cilium rules (rendered under <c>specs</c>); for a NetworkPolicy, its one <c>spec</c>.</param>
public sealed record GeneratedPolicy(string Kind, string Name, string? Namespace, IReadOnlyList<IReadOnlyDictionary<string, object>> Rules)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The Kubernetes NetworkPolicy kind.</summary>
    public const string KubernetesKind = "NetworkPolicy";

    /// <summary>Whether this is a Kubernetes NetworkPolicy (one spec, no Cilium rules to add or reorder).</summary>
    public bool IsKubernetes => Kind == KubernetesKind;

    /// <summary>This policy with one more rule at the end.</summary>
    public GeneratedPolicy WithRule(IReadOnlyDictionary<string, object> rule) => this with { Rules = [.. Rules, rule] };

    /// <summary>This policy with its rules in the order given by <paramref name="order"/> (a permutation of indexes).</summary>
    public GeneratedPolicy WithRuleOrder(IReadOnlyList<int> order) => this with { Rules = [.. order.Select(i => Rules[i])] };

    /// <summary>The document as YAML: a block-style envelope with each rule written as a JSON flow mapping.</summary>
    public string ToYaml()
    {
        var text = new System.Text.StringBuilder();
        if (IsKubernetes)
        {
            text.Append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n");
            text.Append("metadata:\n  name: ").Append(Name).Append("\n  namespace: ").Append(Namespace).Append('\n');
            text.Append("spec: ").Append(JsonSerializer.Serialize(Rules[0], Compact)).Append('\n');
            return text.ToString();
        }

        text.Append("apiVersion: cilium.io/v2\n");
        text.Append("kind: ").Append(Kind).Append('\n');
        text.Append("metadata:\n  name: ").Append(Name).Append('\n');
        if (Namespace is not null)
        {
            text.Append("  namespace: ").Append(Namespace).Append('\n');
        }

        text.Append("specs:\n");
        foreach (var rule in Rules)
        {
            text.Append("  - ").Append(JsonSerializer.Serialize(rule, Compact)).Append('\n');
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToYaml();
}
