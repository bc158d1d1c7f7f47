using System.Collections.Frozen;
using Sluice.Daemon.Control;
using Sluice.Daemon.Datapath;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Model;

namespace Sluice.Daemon.Flows;

/// <summary>
/// Resolves flow-record numbers against the daemon's state: endpoint ids and addresses to endpoint names,
/// namespaces and labels; identities to their labels; policy-reference ids to policy names. Views are built
/// once per published <see cref="DaemonSnapshot"/> (frozen dictionaries swapped by reference), so the
/// pipeline's calls allocate nothing and take no lock.
/// </summary>
public sealed class DaemonFlowEnricher : IFlowEnricher
{
    private readonly Func<DaemonSnapshot> _snapshot;
    private readonly PolicyRefTable _refs;
    private volatile Views _views = Views.Empty;

    /// <summary>Creates an enricher reading <paramref name="snapshot"/> and <paramref name="refs"/>.</summary>
    public DaemonFlowEnricher(Func<DaemonSnapshot> snapshot, PolicyRefTable refs)
    {
        _snapshot = snapshot;
        _refs = refs;
    }

    /// <inheritdoc/>
    public EndpointView? ResolveEndpoint(uint endpointId) => Current().ByEndpointId.GetValueOrDefault(endpointId);

    /// <inheritdoc/>
    public EndpointView? ResolvePeer(uint identity, in IpAddress16 address, byte ipVersion)
    {
        var views = Current();
        if (ipVersion is 4 or 6 && views.ByAddress.TryGetValue(address, out var endpoint))
        {
            return endpoint;
        }

        return views.ByIdentity.GetValueOrDefault(identity);
    }

    /// <inheritdoc/>
    public PolicyRefInfo? ResolvePolicies(uint policyRef) => _refs.Resolve(policyRef);

    /// <inheritdoc/>
    public string? ResolveInterface(uint ifIndex) => Current().Interfaces.GetValueOrDefault(ifIndex);

    private Views Current()
    {
        var snapshot = _snapshot();
        var views = _views;
        if (!ReferenceEquals(views.Source, snapshot))
        {
            views = Views.Build(snapshot);
            _views = views;
        }

        return views;
    }

    private sealed record Views(
        DaemonSnapshot? Source,
        FrozenDictionary<uint, EndpointView> ByEndpointId,
        FrozenDictionary<IpAddress16, EndpointView> ByAddress,
        FrozenDictionary<uint, EndpointView> ByIdentity,
        FrozenDictionary<uint, string> Interfaces)
    {
        public static Views Empty { get; } = new(null, FrozenDictionary<uint, EndpointView>.Empty, FrozenDictionary<IpAddress16, EndpointView>.Empty,
            FrozenDictionary<uint, EndpointView>.Empty, FrozenDictionary<uint, string>.Empty);

        public static Views Build(DaemonSnapshot snapshot)
        {
            var byEndpoint = new Dictionary<uint, EndpointView>();
            var byAddress = new Dictionary<IpAddress16, EndpointView>();
            var interfaces = new Dictionary<uint, string>();
            foreach (var e in snapshot.Endpoints)
            {
                var labels = snapshot.Identities.TryGetValue(e.Identity, out var identity)
                    ? identity.Labels.Select(l => l.ToString()).ToArray()
                    : [];
                var view = new EndpointView(e.EndpointId, e.Identity, e.Definition.Namespace, e.Name, labels);
                byEndpoint[e.EndpointId] = view;
                foreach (var address in e.Addresses)
                {
                    byAddress[IpAddress16.FromIPAddress(address)] = view;
                }

                if (e.Ifindex > 0)
                {
                    interfaces[(uint)e.Ifindex] = e.Definition.Interface;
                }
            }

            var byIdentity = snapshot.Identities.ToDictionary(
                kv => kv.Key,
                kv => new EndpointView(0, kv.Key, string.Empty, string.Empty, kv.Value.Labels.Select(l => l.ToString()).ToArray()));
            return new Views(snapshot, byEndpoint.ToFrozenDictionary(), byAddress.ToFrozenDictionary(), byIdentity.ToFrozenDictionary(), interfaces.ToFrozenDictionary());
        }
    }
}
