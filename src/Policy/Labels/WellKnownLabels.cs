namespace Sluice.Policy.Labels;

/// <summary>Label keys with a fixed meaning in Cilium's policy model.</summary>
public static class WellKnownLabels
{
    /// <summary>The pod namespace label every endpoint carries (<c>k8s:io.kubernetes.pod.namespace</c>).</summary>
    public const string PodNamespace = "io.kubernetes.pod.namespace";

    /// <summary>
    /// Prefix under which a pod carries its namespace's labels; a NetworkPolicy namespaceSelector on key K
    /// becomes a requirement on <c>k8s:io.cilium.k8s.namespace.labels.K</c>.
    /// </summary>
    public const string NamespaceLabelPrefix = "io.cilium.k8s.namespace.labels.";

    /// <summary>The label Kubernetes puts on every namespace with its name (since 1.21).</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>
    /// The full label set of an endpoint as the policy engine sees it: its own labels with source
    /// <c>k8s</c>, the pod-namespace label, and the namespace's labels (at least
    /// <c>kubernetes.io/metadata.name=&lt;namespace&gt;</c>) under <see cref="NamespaceLabelPrefix"/>.
    /// </summary>
    public static LabelSet ForEndpoint(
        string @namespace,
        IEnumerable<KeyValuePair<string, string>> labels,
        IEnumerable<KeyValuePair<string, string>>? namespaceLabels = null)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(labels);
        var all = new List<Label>();
        foreach (var kv in labels)
        {
            var (source, key) = Label.SplitSource(kv.Key, LabelSource.Kubernetes);
            all.Add(new Label(source, key, kv.Value));
        }

        all.Add(new Label(LabelSource.Kubernetes, PodNamespace, @namespace));
        all.Add(new Label(LabelSource.Kubernetes, NamespaceLabelPrefix + NamespaceNameLabel, @namespace));
        foreach (var kv in namespaceLabels ?? [])
        {
            all.Add(new Label(LabelSource.Kubernetes, NamespaceLabelPrefix + kv.Key, kv.Value));
        }

        return new LabelSet(all);
    }
}
