using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>struct sluice_frag_key</c>: one fragmented datagram (addresses, protocol, IP identification).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FragmentKey
{
    /// <summary>sizeof(struct sluice_frag_key).</summary>
    public const int Size = 40;

    /// <summary>Source address.</summary>
    public AddressBytes SourceAddress;

    /// <summary>Destination address.</summary>
    public AddressBytes DestinationAddress;

    /// <summary>IPv4 identification or IPv6 fragment-header identification, host order.</summary>
    public uint Id;

    /// <summary>IP protocol number.</summary>
    public byte Protocol;

    /// <summary>4 or 6.</summary>
    public byte Family;

    private byte _pad0;
    private byte _pad1;
}
