using System.Net;
using Sluice.Cli.Endpoints;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.Trace;

namespace Sluice.Cli.Tracing;

/// <summary>
/// Turns the <c>--src…</c>/<c>--dst…</c> arguments of <c>sluice policy trace</c> into trace parties:
/// labels become a local endpoint with those labels (DESIGN §4.3: <c>app=x</c> is <c>k8s:app=x</c>, the
/// namespace comes from <c>--*-namespace</c>, <c>--namespace</c> or a
/// <c>k8s:io.kubernetes.pod.namespace</c> label); a single <c>reserved:</c> label is that reserved
/// identity; an IP is the endpoint holding it, else the labelled external prefix containing it (longest
/// first), else the world, as a CIDR identity for the address.
/// </summary>
internal sealed class TracePartyResolver
{
    private readonly EndpointsFile? _endpoints;
    private readonly Dictionary<LabelSet, uint> _labelIdentities = [];
    private uint _nextLabelIdentity = IdentityScope.FirstLabelIdentity;
    private uint _nextLocalIdentity = IdentityScope.LocalScopeBase + 1;
    private ulong _nextEndpointId = 1;

    /// <summary>Creates a resolver over an optional endpoints file.</summary>
    public TracePartyResolver(EndpointsFile? endpoints)
    {
        _endpoints = endpoints;
    }

    /// <summary>A party described by labels (<c>--src</c>/<c>--dst</c>).</summary>
    /// <exception cref="FormatException">The labels or namespace are inconsistent.</exception>
    public TraceParty FromLabels(IReadOnlyList<Label> labels, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var reserved = labels.Where(l => l.Source == LabelSource.Reserved).ToList();
        if (reserved.Count > 0)
        {
            if (labels.Count != 1 || !ReservedIdentity.ByName.TryGetValue(reserved[0].Key, out uint id))
            {
                throw new FormatException(
                    $"a reserved peer is given by one label, one of: {string.Join(", ", ReservedIdentity.ByName.Keys.Select(k => "reserved:" + k))}");
            }

            return TraceParty.ForIdentity(Identity.Reserved(id), reserved[0].ToString());
        }

        string? labelled = labels.FirstOrDefault(l => l.Source == LabelSource.Kubernetes && l.Key == WellKnownLabels.PodNamespace).Value;
        if (labelled is not null && @namespace is not null && labelled != @namespace)
        {
            throw new FormatException($"label {WellKnownLabels.PodNamespace}={labelled} contradicts namespace '{@namespace}'");
        }

        string ns = @namespace ?? labelled ?? EndpointsFile.DefaultNamespace;
        var pairs = labels
            .Where(l => !(l.Source == LabelSource.Kubernetes && l.Key == WellKnownLabels.PodNamespace))
            .Select(l => new KeyValuePair<string, string>($"{l.Source}:{l.Key}", l.Value));
        return TraceParty.ForEndpoint(Endpoint(labels.Count == 0 ? "(no labels)" : string.Join(",", labels), ns, pairs, PolicyMode.Enforce));
    }

    /// <summary>A party described by an address (<c>--src-ip</c>/<c>--dst-ip</c>).</summary>
    public TraceParty FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var endpoint = _endpoints?.Endpoints.FirstOrDefault(e => e.Addresses.Contains(address));
        if (endpoint is not null)
        {
            return TraceParty.ForEndpoint(Endpoint(endpoint.Name, endpoint.Namespace, endpoint.Labels, endpoint.PolicyMode));
        }

        var external = _endpoints?.External
            .Where(x => x.Prefix.Contains(address))
            .OrderByDescending(x => x.Prefix.Length)
            .FirstOrDefault();
        if (external is not null)
        {
            var labels = new LabelSet(external.Labels.Select(kv =>
            {
                var (source, key) = Label.SplitSource(kv.Key, LabelSource.Kubernetes);
                return new Label(source, key, kv.Value);
            }));
            var identity = new Identity(_nextLocalIdentity++, labels, external.Prefix);
            return TraceParty.ForIdentity(identity, $"{address} (external {external.Prefix}: {labels})");
        }

        // Outside every known endpoint and prefix: the world, as a CIDR identity for this one address,
        // which is how the datapath's ipcache would classify it (reference §3: local-scope identities).
        var cidr = Identity.ForCidr(_nextLocalIdentity++, IpPrefix.FromAddress(address));
        return TraceParty.ForIdentity(cidr, $"{address} (world)");
    }

    private EndpointInfo Endpoint(string name, string @namespace, IEnumerable<KeyValuePair<string, string>> labels, PolicyMode mode)
    {
        var labelSet = WellKnownLabels.ForEndpoint(@namespace, labels);
        if (!_labelIdentities.TryGetValue(labelSet, out uint id))
        {
            id = _nextLabelIdentity++;
            _labelIdentities[labelSet] = id;
        }

        return new EndpointInfo(_nextEndpointId++, name, @namespace, new Identity(id, labelSet), mode);
    }
}
