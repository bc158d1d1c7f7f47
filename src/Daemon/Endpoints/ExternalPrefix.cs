using System.Net;
using Sluice.Policy.Labels;

namespace Sluice.Daemon.Endpoints;

/// <summary>A labelled prefix outside this host (the endpoints file's <c>external:</c> list).</summary>
/// <param name="Cidr">The prefix, host bits zero.</param>
/// <param name="Labels">Bare label keys → values; these labels carry the <c>k8s</c> source like endpoint labels.</param>
/// <param name="Line">1-based line where the entry starts.</param>
/// <param name="Column">1-based column where the entry starts.</param>
public sealed record ExternalPrefix(IPNetwork Cidr, IReadOnlyDictionary<string, string> Labels, int Line, int Column)
{
    /// <summary>The identity labels, each with source <c>k8s</c>.</summary>
    public LabelSet IdentityLabels => LabelSet.FromKubernetes(Labels);
}
