using Sluice.Policy.Identities;

namespace Sluice.Policy.Trace;

/// <summary>
/// One side of a traced connection: its identity (which peer selectors match) and, when it is a local
/// endpoint, the endpoint (whose own policy — egress for the source, ingress for the destination — applies).
/// </summary>
/// <param name="Identity">The identity peers see.</param>
/// <param name="Endpoint">The local endpoint, or null for a remote peer (world, an IP, a remote pod).</param>
/// <param name="Display">How the trace names it, e.g. its labels or an IP.</param>
public sealed record TraceParty(Identity Identity, EndpointInfo? Endpoint, string Display)
{
    /// <summary>A local endpoint, shown by its labels.</summary>
    public static TraceParty ForEndpoint(EndpointInfo endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new TraceParty(endpoint.Identity, endpoint, "[" + string.Join(", ", endpoint.Labels) + "]");
    }

    /// <summary>A remote peer identified only by its identity (e.g. a CIDR identity for <c>--dst-ip</c>).</summary>
    public static TraceParty ForIdentity(Identity identity, string display)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new TraceParty(identity, null, display);
    }
}
