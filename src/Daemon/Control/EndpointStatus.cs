using System.Net;
using Sluice.Daemon.Endpoints;
using Sluice.Policy.MapState;

namespace Sluice.Daemon.Control;

/// <summary>What the daemon knows and enforces for one endpoint, as of one reconcile pass.</summary>
/// <param name="Definition">The endpoint as written in the endpoints file.</param>
/// <param name="EndpointId">Datapath endpoint id (stable for the endpoint's life, re-adopted across restarts).</param>
/// <param name="Identity">The endpoint's security identity.</param>
/// <param name="Ifindex">The host-side interface's index, 0 when the interface does not exist (yet).</param>
/// <param name="Attached">Both tc programs are attached.</param>
/// <param name="Audit">Would-be drops are forwarded with verdict AUDIT (global audit mode or the endpoint's own).</param>
/// <param name="Ingress">Ingress enforcement state.</param>
/// <param name="Egress">Egress enforcement state.</param>
/// <param name="PolicyEntries">Datapath policy entries installed in the active slot.</param>
/// <param name="DatapathRevision">The endpoint entry's policy revision.</param>
/// <param name="MapState">The map state the datapath holds for the endpoint.</param>
public sealed record EndpointStatus(
    EndpointDefinition Definition,
    ushort EndpointId,
    uint Identity,
    int Ifindex,
    bool Attached,
    bool Audit,
    EnforcementState Ingress,
    EnforcementState Egress,
    int PolicyEntries,
    uint DatapathRevision,
    EndpointMapState MapState)
{
    /// <summary>The endpoint's name.</summary>
    public string Name => Definition.Name;

    /// <summary>The endpoint's addresses.</summary>
    public IReadOnlyList<IPAddress> Addresses => Definition.Addresses;
}
