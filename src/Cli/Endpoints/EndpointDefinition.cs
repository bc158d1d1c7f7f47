using System.Net;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Identities;

namespace Sluice.Cli.Endpoints;

/// <summary>One entry of the endpoints file's <c>endpoints:</c> list (DESIGN §4.3).</summary>
/// <param name="Name">Endpoint name, unique in the file; shown as pod_name in flows.</param>
/// <param name="Namespace">Policy namespace; becomes <c>k8s:io.kubernetes.pod.namespace</c>.</param>
/// <param name="Interface">Host-side interface the datapath attaches to; null when not given.</param>
/// <param name="Addresses">The endpoint's IPv4/IPv6 addresses.</param>
/// <param name="Labels">Labels as written (keys may carry a source prefix such as <c>k8s:</c>).</param>
/// <param name="PolicyMode">Per-endpoint enforce/audit override.</param>
/// <param name="Location">Where the entry starts in the file.</param>
internal sealed record EndpointDefinition(
    string Name,
    string Namespace,
    string? Interface,
    IReadOnlyList<IPAddress> Addresses,
    IReadOnlyDictionary<string, string> Labels,
    PolicyMode PolicyMode,
    SourceLocation Location);
