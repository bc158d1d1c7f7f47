using Sluice.Policy.Labels;
using Sluice.Policy.Model;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>Turns parsed <see cref="EndpointSelector"/>s into compiled <see cref="LabelSelector"/>s.</summary>
public static class SelectorTranslation
{
    /// <summary>
    /// matchLabels become In requirements with one value, matchExpressions map one to one; keys keep their
    /// source prefix, and a key without one matches labels of any source.
    /// </summary>
    public static LabelSelector FromModel(EndpointSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var requirements = new List<SelectorRequirement>(selector.MatchLabels.Count + selector.MatchExpressions.Count);
        foreach (var kv in selector.MatchLabels)
        {
            requirements.Add(SelectorRequirement.FromKey(kv.Key, SelectorOperator.In, [kv.Value]));
        }

        foreach (var e in selector.MatchExpressions)
        {
            requirements.Add(SelectorRequirement.FromKey(e.Key, e.Operator, e.Values));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>
    /// A Kubernetes namespaceSelector as a pod selector: each key K becomes
    /// <c>k8s:io.cilium.k8s.namespace.labels.K</c>, and only pods (endpoints with a namespace) match.
    /// </summary>
    public static LabelSelector FromNamespaceSelector(EndpointSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var requirements = new List<SelectorRequirement>
        {
            new(LabelSource.Kubernetes, WellKnownLabels.PodNamespace, SelectorOperator.Exists),
        };
        foreach (var kv in selector.MatchLabels)
        {
            requirements.Add(new SelectorRequirement(LabelSource.Kubernetes, WellKnownLabels.NamespaceLabelPrefix + kv.Key, SelectorOperator.In, [kv.Value]));
        }

        foreach (var e in selector.MatchExpressions)
        {
            requirements.Add(new SelectorRequirement(LabelSource.Kubernetes, WellKnownLabels.NamespaceLabelPrefix + e.Key, e.Operator, e.Values));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Whether the requirement constrains the pod namespace (<c>k8s:</c> or source-less key).</summary>
    public static bool IsNamespaceKey(SelectorRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        return requirement.Key == WellKnownLabels.PodNamespace
            && requirement.Source is LabelSource.Kubernetes or LabelSource.Any;
    }

    /// <summary>The requirement <c>k8s:io.kubernetes.pod.namespace=&lt;ns&gt;</c>.</summary>
    public static SelectorRequirement NamespaceIs(string @namespace) =>
        new(LabelSource.Kubernetes, WellKnownLabels.PodNamespace, SelectorOperator.In, [@namespace]);

    /// <summary>The requirement that a <c>k8s:io.kubernetes.pod.namespace</c> label exists (any pod).</summary>
    public static SelectorRequirement AnyNamespace { get; } =
        new(LabelSource.Kubernetes, WellKnownLabels.PodNamespace, SelectorOperator.Exists);
}
