using System.Collections.Concurrent;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Enrichment;

/// <summary>
/// A thread-safe <see cref="IFlowEnricher"/> over dictionaries filled by the caller. Used by tests,
/// benchmarks and offline tools; the daemon supplies its own implementation over live state.
/// </summary>
public sealed class InMemoryFlowEnricher : IFlowEnricher
{
    private readonly ConcurrentDictionary<uint, EndpointView> _endpoints = new();
    private readonly ConcurrentDictionary<IpAddress16, EndpointView> _endpointsByAddress = new();
    private readonly ConcurrentDictionary<uint, EndpointView> _identities = new();
    private readonly ConcurrentDictionary<uint, PolicyRefInfo> _policies = new();
    private readonly ConcurrentDictionary<uint, string> _interfaces = new();

    /// <summary>Creates an enricher that already knows the reserved identities.</summary>
    public InMemoryFlowEnricher()
    {
        for (uint id = 1; id < 12; id++)
        {
            _identities[id] = new EndpointView(0, id, string.Empty, string.Empty, [ReservedIdentities.LabelOf(id)!]);
        }
    }

    /// <summary>Registers a local endpoint, its addresses and host-side interface.</summary>
    public void AddEndpoint(EndpointView endpoint, IEnumerable<System.Net.IPAddress> addresses, uint ifIndex = 0, string? interfaceName = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(addresses);
        _endpoints[endpoint.EndpointId] = endpoint;
        _identities.TryAdd(endpoint.Identity, new EndpointView(0, endpoint.Identity, endpoint.Namespace, string.Empty, endpoint.Labels));
        foreach (var address in addresses)
        {
            _endpointsByAddress[IpAddress16.FromIPAddress(address)] = endpoint;
        }

        if (ifIndex != 0 && interfaceName is not null)
        {
            _interfaces[ifIndex] = interfaceName;
        }
    }

    /// <summary>Registers the labels of an identity that is not a local endpoint (CIDR, external peers).</summary>
    public void AddIdentity(uint identity, IReadOnlyList<string> labels)
    {
        _identities[identity] = new EndpointView(0, identity, string.Empty, string.Empty, labels);
    }

    /// <summary>Registers the policies behind a policy-reference id.</summary>
    public void AddPolicyRef(PolicyRefInfo policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        _policies[policies.PolicyRef] = policies;
    }

    /// <inheritdoc/>
    public EndpointView? ResolveEndpoint(uint endpointId) =>
        _endpoints.TryGetValue(endpointId, out var endpoint) ? endpoint : null;

    /// <inheritdoc/>
    public EndpointView? ResolvePeer(uint identity, in IpAddress16 address, byte ipVersion)
    {
        if (_endpointsByAddress.TryGetValue(address, out var endpoint) && endpoint.Identity == identity)
        {
            return endpoint;
        }

        return _identities.TryGetValue(identity, out var view) ? view : null;
    }

    /// <inheritdoc/>
    public PolicyRefInfo? ResolvePolicies(uint policyRef) =>
        policyRef != 0 && _policies.TryGetValue(policyRef, out var info) ? info : null;

    /// <inheritdoc/>
    public string? ResolveInterface(uint ifIndex) =>
        _interfaces.TryGetValue(ifIndex, out var name) ? name : null;
}
