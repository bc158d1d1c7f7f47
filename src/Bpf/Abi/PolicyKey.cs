using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>
/// Mirror of <c>struct sluice_policy_key</c>, the LPM-trie key of <c>sluice_policy</c>. Endpoint, slot,
/// direction and identity are always fully specified (prefix ≥ 64 bits); <see cref="ProtocolPrefix"/> adds
/// the protocol, and each port bit beyond that narrows the port. See bpf/include/maps.h and policy.h.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct PolicyKey
{
    /// <summary>sizeof(struct sluice_policy_key).</summary>
    public const int Size = 16;

    /// <summary>Prefix length of an entry for any protocol and port.</summary>
    public const uint IdentityPrefix = 64;

    /// <summary>Prefix length of an entry for one protocol, any port.</summary>
    public const uint ProtocolPrefix = 80;

    /// <summary>Prefix length of an entry for one protocol and one port.</summary>
    public const uint FullPrefix = 96;

    /// <summary>Remote identity meaning "any identity".</summary>
    public const uint AnyIdentity = 0;

    /// <summary>LPM prefix length in bits.</summary>
    public uint PrefixLength;

    /// <summary>The endpoint the entry belongs to.</summary>
    public ushort EndpointId;

    /// <summary>Policy slot, 0 or 1.</summary>
    public byte Slot;

    /// <summary>Traffic direction relative to the endpoint.</summary>
    public DatapathDirection Direction;

    /// <summary>Remote identity, or <see cref="AnyIdentity"/>.</summary>
    public uint RemoteIdentity;

    /// <summary>IP protocol number (ignored below <see cref="ProtocolPrefix"/>).</summary>
    public byte Protocol;

    private byte _pad;

    /// <summary>Destination port (ICMP type for ICMP), big-endian as in the kernel.</summary>
    public ushort DestinationPortBigEndian;

    /// <summary>The destination port in host order.</summary>
    public readonly ushort DestinationPort => NetworkOrder.FromBigEndian(DestinationPortBigEndian);

    /// <summary>An entry for any protocol and port from/to <paramref name="remoteIdentity"/>.</summary>
    public static PolicyKey ForIdentity(ushort endpointId, byte slot, DatapathDirection direction, uint remoteIdentity) => new()
    {
        PrefixLength = IdentityPrefix,
        EndpointId = endpointId,
        Slot = slot,
        Direction = direction,
        RemoteIdentity = remoteIdentity,
    };

    /// <summary>An entry for one protocol, any port.</summary>
    public static PolicyKey ForProtocol(ushort endpointId, byte slot, DatapathDirection direction, uint remoteIdentity, byte protocol)
    {
        var key = ForIdentity(endpointId, slot, direction, remoteIdentity);
        key.PrefixLength = ProtocolPrefix;
        key.Protocol = protocol;
        return key;
    }

    /// <summary>An entry for one protocol and a port prefix (one element of <see cref="PortRangePrefixes.Split"/>).</summary>
    public static PolicyKey ForPortPrefix(ushort endpointId, byte slot, DatapathDirection direction, uint remoteIdentity, byte protocol, PortPrefix port)
    {
        var key = ForProtocol(endpointId, slot, direction, remoteIdentity, protocol);
        key.PrefixLength = ProtocolPrefix + (uint)port.PrefixBits;
        key.DestinationPortBigEndian = NetworkOrder.ToBigEndian(port.Port);
        return key;
    }
}
