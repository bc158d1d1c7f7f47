using System.Buffers.Binary;
using System.Net;
using Sluice.Bpf.Tests.Support;
using Xunit;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// The test packet builder's checksums: the primitives against published vectors, and every built packet
/// verifying the way a receiver checks it (the one's-complement sum over pseudo-header and segment, stored
/// checksum included, is 0xFFFF; SCTP's CRC32c recomputes to the stored value).
/// </summary>
public sealed class PacketBuilderTests
{
    [Fact]
    public void InternetChecksum_Rfc1071Example()
    {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement), checksum 220d.
        Assert.Equal((ushort)0x220d, InternetChecksum.Compute([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]));
    }

    [Theory]
    [InlineData("123456789", 0xE3069283u)] // the CRC catalogue's check value for CRC-32C
    [InlineData("", 0x00000000u)]
    public void Crc32C_CheckValues(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Crc32C_Rfc3720ZeroVector()
    {
        // RFC 3720 appendix B.4: 32 bytes of zeros.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.2")]
    [InlineData("fd00::1", "fd00::2")]
    public void BuiltPackets_VerifyAsAReceiverWouldCheckThem(string source, string destination)
    {
        var src = IPAddress.Parse(source);
        var dst = IPAddress.Parse(destination);
        var v6 = src.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var payload = new byte[] { 1, 2, 3, 4, 5 }; // odd length: exercises the padding byte

        foreach (var (protocol, packet) in new (byte, byte[])[]
        {
            (6, PacketBuilder.Ip(src, dst).WithPayload(payload).Tcp(1234, 80, TcpFlagBits.Syn).BuildIp()),
            (17, PacketBuilder.Ip(src, dst).WithPayload(payload).Udp(1234, 53).BuildIp()),
            (v6 ? (byte)58 : (byte)1, PacketBuilder.Ip(src, dst).WithPayload(payload).Icmp(v6 ? (byte)128 : (byte)8, 0, 7, 1).BuildIp()),
            (132, PacketBuilder.Ip(src, dst).WithPayload(payload).Sctp(1234, 5000).BuildIp()),
        })
        {
            var headerLength = v6 ? 40 : (packet[0] & 0xf) * 4;
            var segment = packet.AsSpan(headerLength);
            if (!v6)
            {
                Assert.Equal(0, InternetChecksum.Compute(packet.AsSpan(0, headerLength))); // IPv4 header checksum
            }

            if (protocol == 132)
            {
                var stored = BinaryPrimitives.ReadUInt32LittleEndian(segment[8..]);
                var copy = segment.ToArray();
                copy.AsSpan(8, 4).Clear();
                Assert.Equal(stored, Crc32C.Compute(copy));
            }
            else if (protocol == 1)
            {
                Assert.Equal(0, InternetChecksum.Compute(segment)); // ICMPv4 has no pseudo-header
            }
            else
            {
                Assert.Equal(0, InternetChecksum.Compute(PseudoHeader(packet, v6, protocol, segment)));
            }
        }
    }

    [Fact]
    public void Ipv6ExtensionChain_IsLinkedThroughNextHeaderFields()
    {
        var packet = PacketBuilder.Ip("fd00::1", "fd00::2").WithIpv6Extension(0).WithIpv6Extension(60, 1).AsFragment(0, more: true)
            .Udp(1, 2).BuildIp();

        Assert.Equal(0, packet[6]);            // IPv6 header → hop-by-hop
        Assert.Equal(60, packet[40]);          // hop-by-hop (8 bytes) → destination options
        Assert.Equal(44, packet[48]);          // destination options (16 bytes) → fragment
        Assert.Equal(17, packet[64]);          // fragment → UDP
        Assert.Equal(0x0001, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(66)) & 0xfff9); // offset 0, M set
        Assert.Equal(packet.Length - 40, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)));
    }

    private static byte[] PseudoHeader(byte[] packet, bool v6, byte protocol, ReadOnlySpan<byte> segment)
    {
        using var stream = new MemoryStream();
        if (v6)
        {
            stream.Write(packet, 8, 32);
            var length = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)segment.Length);
            length[7] = protocol;
            stream.Write(length);
        }
        else
        {
            stream.Write(packet, 12, 8);
            stream.Write([0, protocol, (byte)(segment.Length >> 8), (byte)segment.Length]);
        }

        stream.Write(segment);
        return stream.ToArray();
    }
}
