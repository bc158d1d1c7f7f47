using System.Net;
using Sluice.Policy.Labels;

namespace Sluice.Daemon.Endpoints;

/// <summary>One entry of the endpoints file's <c>endpoints:</c> list (DESIGN §4.3).</summary>
/// <param name="Name">Unique in the file; shown as <c>pod_name</c> in flows.</param>
/// <param name="Namespace">Policy namespace; becomes <c>k8s:io.kubernetes.pod.namespace</c>.</param>
/// <param name="Interface">Host-side interface the tc programs attach to.</param>
/// <param name="Addresses">The endpoint's addresses (IPv4 and/or IPv6), each unique across the file.</param>
/// <param name="Labels">Labels as bare keys (an optional <c>k8s:</c> prefix is removed) → values.</param>
/// <param name="PolicyMode">Per-endpoint enforce/audit override.</param>
/// <param name="Line">1-based line where the entry starts.</param>
/// <param name="Column">1-based column where the entry starts.</param>
public sealed record EndpointDefinition(
    string Name,
    string Namespace,
    string Interface,
    IReadOnlyList<IPAddress> Addresses,
    IReadOnlyDictionary<string, string> Labels,
    EndpointPolicyMode PolicyMode,
    int Line,
    int Column)
{
    /// <summary>
    /// The identity labels: the endpoint's labels with source <c>k8s</c>, the namespace label every endpoint
    /// carries (<c>k8s:io.kubernetes.pod.namespace=&lt;namespace&gt;</c>) and the namespace's own name label,
    /// as the policy engine selects endpoints by them.
    /// </summary>
    public LabelSet IdentityLabels => WellKnownLabels.ForEndpoint(Namespace, Labels);

    /// <summary>Whether two definitions describe the same endpoint in every field (position ignored).</summary>
    public bool SameAs(EndpointDefinition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Name == other.Name && Namespace == other.Namespace && Interface == other.Interface
            && PolicyMode == other.PolicyMode
            && Addresses.SequenceEqual(other.Addresses)
            && Labels.Count == other.Labels.Count
            && Labels.All(kv => other.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
