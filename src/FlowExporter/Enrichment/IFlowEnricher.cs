using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Enrichment;

/// <summary>
/// Resolves the numbers in a kernel flow record to names. The daemon implements it over its endpoint,
/// identity and policy state. Every method is called on the pipeline's hot path: implementations must be
/// thread-safe, must not block, and should return cached objects rather than build new ones per call.
/// </summary>
public interface IFlowEnricher
{
    /// <summary>The local endpoint with id <paramref name="endpointId"/>, or null when unknown.</summary>
    EndpointView? ResolveEndpoint(uint endpointId);

    /// <summary>
    /// The peer with security identity <paramref name="identity"/> at <paramref name="address"/>: a local
    /// endpoint when the address belongs to one, otherwise the identity's labels (endpoint id 0).
    /// </summary>
    EndpointView? ResolvePeer(uint identity, in IpAddress16 address, byte ipVersion);

    /// <summary>The policies behind a policy-reference id, or null when unknown.</summary>
    PolicyRefInfo? ResolvePolicies(uint policyRef);

    /// <summary>The name of interface <paramref name="ifIndex"/>, or null when unknown.</summary>
    string? ResolveInterface(uint ifIndex);
}
