using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>struct sluice_frag_value</c>: the first fragment's transport fields.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FragmentValue
{
    /// <summary>sizeof(struct sluice_frag_value).</summary>
    public const int Size = 8;

    /// <summary>Source port (ICMP echo identifier), big-endian.</summary>
    public ushort SourcePortBigEndian;

    /// <summary>Destination port (ICMP type), big-endian.</summary>
    public ushort DestinationPortBigEndian;

    /// <summary>ICMP type.</summary>
    public byte IcmpType;

    /// <summary>ICMP code.</summary>
    public byte IcmpCode;

    /// <summary>ICMP classification (echo, error, other).</summary>
    public byte IcmpKind;

    private byte _pad;
}
