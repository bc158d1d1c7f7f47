using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>
/// Mirror of <c>struct sluice_ct_key</c>. Oriented to the endpoint (local = the endpoint's side);
/// <see cref="Direction"/> is the direction the flow was initiated in. Ports are big-endian; for ICMP
/// echo the local port is the echo identifier and the remote port 0, for other ICMP messages the local
/// port is 0 and the remote port the ICMP type.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct ConntrackKey
{
    /// <summary>sizeof(struct sluice_ct_key).</summary>
    public const int Size = 44;

    /// <summary>The endpoint's address.</summary>
    public AddressBytes LocalAddress;

    /// <summary>The peer's address.</summary>
    public AddressBytes RemoteAddress;

    /// <summary>The endpoint's port, big-endian.</summary>
    public ushort LocalPortBigEndian;

    /// <summary>The peer's port, big-endian.</summary>
    public ushort RemotePortBigEndian;

    /// <summary>The endpoint the flow is tracked for.</summary>
    public ushort EndpointId;

    /// <summary>IP protocol number.</summary>
    public byte Protocol;

    /// <summary>Direction of the flow's initiating packet.</summary>
    public DatapathDirection Direction;

    /// <summary>4 or 6.</summary>
    public byte Family;

    private byte _pad0;
    private byte _pad1;
    private byte _pad2;
}
