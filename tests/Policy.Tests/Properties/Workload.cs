namespace Sluice.Policy.Tests.Properties;

/// <summary>A workload: name, namespace and its own labels (without the namespace labels every pod gets).</summary>
/// <param name="Name">Endpoint or workload name.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Labels">Its labels, Kubernetes-sourced.</param>
public sealed record Workload(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Namespace}): {string.Join(",", Labels.Select(kv => $"{kv.Key}={kv.Value}"))}";
}
