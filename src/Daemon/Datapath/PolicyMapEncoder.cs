using Sluice.Bpf.Abi;
using Sluice.Policy.MapState;

namespace Sluice.Daemon.Datapath;

/// <summary>
/// Turns an endpoint's <see cref="EndpointMapState"/> into <c>sluice_policy</c> LPM entries for one slot.
/// A map-state key with a port range becomes the range's aligned power-of-two blocks
/// (<see cref="PortRangePrefixes"/>); a range under protocol "any" is expanded to TCP, UDP and SCTP, the
/// protocols ports exist for. Where two entries produce the same LPM key the stronger wins — an enforced
/// deny over an audit deny over an allow — mirroring "deny takes precedence over every allow".
/// </summary>
public static class PolicyMapEncoder
{
    private static readonly byte[] PortProtocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Sctp];

    /// <summary>The datapath entries of <paramref name="state"/> in <paramref name="slot"/>, keyed and deduplicated.</summary>
    /// <param name="state">The endpoint's complete map state.</param>
    /// <param name="endpointId">The endpoint's datapath id (first field of its keys).</param>
    /// <param name="slot">0 or 1: the slot being written (the inactive one).</param>
    /// <param name="policyRefOf">Maps an entry's origins to the reference id stored in the value.</param>
    public static Dictionary<PolicyKey, PolicyValue> Encode(
        EndpointMapState state, ushort endpointId, byte slot, Func<MapStateEntry, uint> policyRefOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policyRefOf);
        var result = new Dictionary<PolicyKey, PolicyValue>();
        foreach (var (key, entry) in state.Entries)
        {
            uint policyRef = policyRefOf(entry);
            var direction = key.Direction == TrafficDirection.Ingress ? DatapathDirection.Ingress : DatapathDirection.Egress;
            foreach (var datapathKey in KeysFor(key, endpointId, slot, direction))
            {
                var value = entry.Deny
                    ? PolicyValue.DenyFor(datapathKey, policyRef, entry.Audit)
                    : PolicyValue.Allow(datapathKey, policyRef);
                if (!result.TryGetValue(datapathKey, out var existing) || Strength(value) > Strength(existing))
                {
                    result[datapathKey] = value;
                }
            }
        }

        return result;
    }

    /// <summary>The LPM keys covering one map-state key.</summary>
    public static IEnumerable<PolicyKey> KeysFor(MapStateKey key, ushort endpointId, byte slot, DatapathDirection direction)
    {
        if (key.Protocol == IpProtocol.Any)
        {
            if (key.IsAllPorts)
            {
                yield return PolicyKey.ForIdentity(endpointId, slot, direction, key.RemoteIdentity);
                yield break;
            }

            foreach (var protocol in PortProtocols)
            {
                foreach (var k in KeysFor(key with { Protocol = protocol }, endpointId, slot, direction))
                {
                    yield return k;
                }
            }

            yield break;
        }

        if (key.IsAllPorts)
        {
            yield return PolicyKey.ForProtocol(endpointId, slot, direction, key.RemoteIdentity, key.Protocol);
            yield break;
        }

        foreach (var block in PortRangePrefixes.Split(key.PortLow, key.PortHigh))
        {
            yield return PolicyKey.ForPortPrefix(endpointId, slot, direction, key.RemoteIdentity, key.Protocol, block);
        }
    }

    /// <summary>
    /// The datapath's default-deny flags for the enforcement states. <see cref="EnforcementState.AuditDefaultDeny"/>
    /// (only staged policies select the endpoint) is not default-deny: such traffic must never drop.
    /// </summary>
    public static DefaultDenyDirections DefaultDenyOf(EnforcementState ingress, EnforcementState egress) =>
        (ingress == EnforcementState.DefaultDeny ? DefaultDenyDirections.Ingress : DefaultDenyDirections.None)
        | (egress == EnforcementState.DefaultDeny ? DefaultDenyDirections.Egress : DefaultDenyDirections.None);

    private static int Strength(PolicyValue value) => value.Deny == 0 ? 0 : value.Audit != 0 ? 1 : 2;
}
