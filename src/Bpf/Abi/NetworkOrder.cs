using System.Buffers.Binary;

namespace Sluice.Bpf.Abi;

/// <summary>Conversions for the big-endian (<c>__be16</c>) fields of the datapath's structs.</summary>
public static class NetworkOrder
{
    /// <summary>Host-order <paramref name="value"/> as stored in a <c>__be16</c> field.</summary>
    public static ushort ToBigEndian(ushort value) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    /// <summary>The host-order value of a <c>__be16</c> field.</summary>
    public static ushort FromBigEndian(ushort value) => ToBigEndian(value);
}
