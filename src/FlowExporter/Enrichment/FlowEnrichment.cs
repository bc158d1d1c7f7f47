using Sluice.Api.Flow;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Enrichment;

/// <summary>The per-event enrichment rule, kept pure so it is tested without a pipeline.</summary>
public static class FlowEnrichment
{
    /// <summary>
    /// Fills the name fields of <paramref name="flow"/>. <see cref="FlowEvent.Direction"/> is the direction
    /// of the connection relative to the local endpoint (as Hubble reports it, so replies keep the direction
    /// of the connection they belong to); the local endpoint is therefore the packet's source for egress
    /// requests and ingress replies, and its destination otherwise. The other side is resolved from its
    /// identity and address.
    /// </summary>
    public static void Enrich(ref FlowEvent flow, IFlowEnricher enricher)
    {
        ArgumentNullException.ThrowIfNull(enricher);
        EndpointView? local = flow.EndpointId != 0 ? enricher.ResolveEndpoint(flow.EndpointId) : null;
        bool directionKnown = flow.Direction != TrafficDirection.Unknown;
        bool localIsSource = (flow.Direction == TrafficDirection.Egress) != (flow.Reply == ReplyState.Reply);
        flow.Source = directionKnown && localIsSource && local is not null
            ? local
            : enricher.ResolvePeer(flow.SourceIdentity, flow.SourceAddress, flow.IpVersion);
        flow.Destination = directionKnown && !localIsSource && local is not null
            ? local
            : enricher.ResolvePeer(flow.DestinationIdentity, flow.DestinationAddress, flow.IpVersion);
        flow.Policies = flow.PolicyRef != 0 ? enricher.ResolvePolicies(flow.PolicyRef) : null;
        flow.InterfaceName = flow.IfIndex != 0 ? enricher.ResolveInterface(flow.IfIndex) : null;
    }
}
