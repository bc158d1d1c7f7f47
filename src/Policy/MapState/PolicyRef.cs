using Sluice.Policy.Model;

namespace Sluice.Policy.MapState;

/// <summary>
/// The policy rule that produced a map-state entry: kind, namespace (null for clusterwide kinds), name,
/// and the rule's index inside the document (<c>specs[i]</c>; 0 for <c>spec</c> and NetworkPolicies).
/// </summary>
public sealed record PolicyRef(PolicyKind Kind, string? Namespace, string Name, int RuleIndex) : IComparable<PolicyRef>
{
    /// <inheritdoc/>
    public int CompareTo(PolicyRef? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = ((int)Kind).CompareTo((int)other.Kind);
        if (c == 0)
        {
            c = string.CompareOrdinal(Namespace, other.Namespace);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(Name, other.Name);
        }

        return c != 0 ? c : RuleIndex.CompareTo(other.RuleIndex);
    }

    /// <summary>Short kind name as Cilium writes it in flows: <c>cnp</c>, <c>ccnp</c>, <c>netpol</c>, <c>rules</c>.</summary>
    public string ShortKind => Kind switch
    {
        PolicyKind.CiliumNetworkPolicy => "cnp",
        PolicyKind.CiliumClusterwideNetworkPolicy => "ccnp",
        PolicyKind.KubernetesNetworkPolicy => "netpol",
        _ => "rules",
    };

    /// <summary>E.g. <c>cnp/shop/allow-web[0]</c>, <c>ccnp/deny-world[1]</c>.</summary>
    public override string ToString() =>
        Namespace is null ? $"{ShortKind}/{Name}[{RuleIndex}]" : $"{ShortKind}/{Namespace}/{Name}[{RuleIndex}]";

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <(PolicyRef left, PolicyRef right) => Compare(left, right) < 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <=(PolicyRef left, PolicyRef right) => Compare(left, right) <= 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >(PolicyRef left, PolicyRef right) => Compare(left, right) > 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >=(PolicyRef left, PolicyRef right) => Compare(left, right) >= 0;

    private static int Compare(PolicyRef? left, PolicyRef? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
