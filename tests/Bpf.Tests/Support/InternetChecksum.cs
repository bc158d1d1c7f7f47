using System.Buffers.Binary;

namespace Sluice.Bpf.Tests.Support;

/// <summary>The RFC 1071 one's-complement checksum used by IPv4, TCP, UDP and ICMP.</summary>
public static class InternetChecksum
{
    /// <summary>The checksum of <paramref name="data"/> (with its checksum field zero).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
