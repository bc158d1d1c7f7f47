using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Bpf.Tests.Support;

/// <summary>
/// Builds Ethernet frames for BPF_PROG_TEST_RUN: IPv4 (with options and fragment fields) or IPv6 (with
/// hop-by-hop, routing, destination-options and fragment headers) carrying TCP, UDP, SCTP, ICMP, ICMPv6
/// or raw bytes, with correct IPv4, TCP, UDP, ICMP/ICMPv6 checksums and SCTP's CRC32c.
/// </summary>
public sealed class PacketBuilder
{
    private const int EthernetHeaderLength = 14;
    private readonly IPAddress source;
    private readonly IPAddress destination;
    private readonly bool isIpv6;
    private readonly List<(byte Type, byte[] Body)> extensionHeaders = [];
    private byte[] ipv4Options = [];
    private ushort fragmentOffsetUnits;
    private bool moreFragments;
    private bool ipv6Fragment;
    private uint fragmentId = 0x1234;
    private byte protocol;
    private Func<byte[]>? transport;
    private byte[] payload = [];

    private PacketBuilder(IPAddress source, IPAddress destination)
    {
        if (source.AddressFamily != destination.AddressFamily)
        {
            throw new ArgumentException($"Source {source} and destination {destination} are of different families.");
        }

        this.source = source;
        this.destination = destination;
        isIpv6 = source.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>Starts a packet from <paramref name="source"/> to <paramref name="destination"/> (family from the addresses).</summary>
    public static PacketBuilder Ip(IPAddress source, IPAddress destination) => new(source, destination);

    /// <summary>Starts a packet from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static PacketBuilder Ip(string source, string destination) => new(IPAddress.Parse(source), IPAddress.Parse(destination));

    /// <summary>IPv4 options (padded with end-of-options to a multiple of 4 bytes, at most 40).</summary>
    public PacketBuilder WithIpv4Options(params byte[] options)
    {
        var padded = (options.Length + 3) / 4 * 4;
        if (padded > 40)
        {
            throw new ArgumentException("IPv4 options are limited to 40 bytes.", nameof(options));
        }

        ipv4Options = new byte[padded];
        options.CopyTo(ipv4Options, 0);
        return this;
    }

    /// <summary>An IPv6 extension header of type 0 (hop-by-hop), 43 (routing) or 60 (destination options) of <paramref name="units"/> × 8 + 8 bytes.</summary>
    public PacketBuilder WithIpv6Extension(byte type, int units = 0)
    {
        var body = new byte[(units + 1) * 8];
        body[1] = (byte)units;
        if (type == 43)
        {
            body[2] = 4; // routing type 4 (segment routing) with segments left 0: ignored by receivers
        }
        else
        {
            body[2] = 1; // PadN option covering the rest of the header
            body[3] = (byte)(body.Length - 4);
        }

        extensionHeaders.Add((type, body));
        return this;
    }

    /// <summary>Marks the packet as a fragment: IPv4 fragment fields, or an IPv6 fragment header.</summary>
    /// <param name="offsetUnits">Fragment offset in 8-byte units (0 = first fragment).</param>
    /// <param name="more">The more-fragments flag.</param>
    public PacketBuilder AsFragment(ushort offsetUnits, bool more)
    {
        fragmentOffsetUnits = offsetUnits;
        moreFragments = more;
        ipv6Fragment = isIpv6;
        return this;
    }

    /// <summary>The IP identification of the datagram (16 bits used for IPv4, 32 in the IPv6 fragment header).</summary>
    public PacketBuilder WithFragmentId(uint id)
    {
        fragmentId = id;
        return this;
    }

    /// <summary>A TCP segment with the given flags (<see cref="TcpFlagBits"/>).</summary>
    public PacketBuilder Tcp(ushort sourcePort, ushort destinationPort, byte flags, uint sequence = 1, uint acknowledgement = 0)
    {
        protocol = 6;
        transport = () =>
        {
            var header = new byte[20 + payload.Length];
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(0), sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), destinationPort);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), sequence);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), acknowledgement);
            header[12] = 5 << 4;
            header[13] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), 65535);
            payload.CopyTo(header, 20);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16), PseudoHeaderChecksum(header));
            return header;
        };
        return this;
    }

    /// <summary>A UDP datagram.</summary>
    public PacketBuilder Udp(ushort sourcePort, ushort destinationPort)
    {
        protocol = 17;
        transport = () =>
        {
            var header = new byte[8 + payload.Length];
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(0), sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), destinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)header.Length);
            payload.CopyTo(header, 8);
            var checksum = PseudoHeaderChecksum(header);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), checksum == 0 ? (ushort)0xffff : checksum);
            return header;
        };
        return this;
    }

    /// <summary>An SCTP packet (common header only, plus the payload as chunks), CRC32c checksum.</summary>
    public PacketBuilder Sctp(ushort sourcePort, ushort destinationPort, uint verificationTag = 0x01020304)
    {
        protocol = 132;
        transport = () =>
        {
            var header = new byte[12 + payload.Length];
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(0), sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), destinationPort);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), verificationTag);
            payload.CopyTo(header, 12);
            // RFC 9260 appendix A: CRC32c over the packet with a zero checksum field, stored little-endian.
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), Crc32C.Compute(header));
            return header;
        };
        return this;
    }

    /// <summary>An ICMP (IPv4) or ICMPv6 (IPv6) message with a 4-byte rest-of-header (identifier, sequence).</summary>
    public PacketBuilder Icmp(byte type, byte code = 0, ushort identifier = 0, ushort sequence = 0)
    {
        protocol = isIpv6 ? (byte)58 : (byte)1;
        transport = () =>
        {
            var message = new byte[8 + payload.Length];
            message[0] = type;
            message[1] = code;
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), identifier);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), sequence);
            payload.CopyTo(message, 8);
            var checksum = isIpv6 ? PseudoHeaderChecksum(message) : InternetChecksum.Compute(message);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), checksum);
            return message;
        };
        return this;
    }

    /// <summary>An ICMP error quoting <paramref name="quotedIpPacket"/> (an IP packet, e.g. from <see cref="BuildIp"/>).</summary>
    public PacketBuilder IcmpError(byte type, byte code, byte[] quotedIpPacket)
    {
        payload = quotedIpPacket;
        return Icmp(type, code);
    }

    /// <summary>A transport of any protocol number with raw bytes (no checksum processing).</summary>
    public PacketBuilder Raw(byte protocolNumber, params byte[] bytes)
    {
        protocol = protocolNumber;
        transport = () => bytes;
        return this;
    }

    /// <summary>Application bytes after the transport header.</summary>
    public PacketBuilder WithPayload(byte[] bytes)
    {
        payload = bytes;
        return this;
    }

    /// <summary>The Ethernet frame.</summary>
    public byte[] Build()
    {
        var ip = BuildIp();
        var frame = new byte[EthernetHeaderLength + ip.Length];
        byte[] destinationMac = [0x02, 0, 0, 0, 0, 0x02];
        byte[] sourceMac = [0x02, 0, 0, 0, 0, 0x01];
        destinationMac.CopyTo(frame, 0);
        sourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), isIpv6 ? (ushort)0x86dd : (ushort)0x0800);
        ip.CopyTo(frame, EthernetHeaderLength);
        return frame;
    }

    /// <summary>The IP packet without the Ethernet header.</summary>
    public byte[] BuildIp()
    {
        var l4 = transport?.Invoke() ?? throw new InvalidOperationException("No transport set: call Tcp, Udp, Sctp, Icmp or Raw.");
        return isIpv6 ? BuildIpv6(l4) : BuildIpv4(l4);
    }

    /// <summary>A non-IP frame with the given ethertype (e.g. 0x0806 ARP).</summary>
    public static byte[] EthernetFrame(ushort etherType, int bodyLength = 28)
    {
        var frame = new byte[EthernetHeaderLength + bodyLength];
        frame[0] = 0xff;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        return frame;
    }

    private byte[] BuildIpv4(byte[] l4)
    {
        var headerLength = 20 + ipv4Options.Length;
        var packet = new byte[headerLength + l4.Length];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)fragmentId);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | fragmentOffsetUnits));
        packet[8] = 64;
        packet[9] = protocol;
        source.TryWriteBytes(packet.AsSpan(12), out _);
        destination.TryWriteBytes(packet.AsSpan(16), out _);
        ipv4Options.CopyTo(packet, 20);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, headerLength)));
        l4.CopyTo(packet, headerLength);
        return packet;
    }

    private byte[] BuildIpv6(byte[] l4)
    {
        var chain = new List<(byte Type, byte[] Body)>(extensionHeaders);
        if (ipv6Fragment)
        {
            var fragment = new byte[8];
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(2), (ushort)((fragmentOffsetUnits << 3) | (moreFragments ? 1 : 0)));
            BinaryPrimitives.WriteUInt32BigEndian(fragment.AsSpan(4), fragmentId);
            chain.Add((44, fragment));
        }

        var extensionLength = chain.Sum(h => h.Body.Length);
        var packet = new byte[40 + extensionLength + l4.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(extensionLength + l4.Length));
        packet[6] = chain.Count > 0 ? chain[0].Type : protocol;
        packet[7] = 64;
        source.TryWriteBytes(packet.AsSpan(8), out _);
        destination.TryWriteBytes(packet.AsSpan(24), out _);
        var offset = 40;
        for (var i = 0; i < chain.Count; i++)
        {
            var body = chain[i].Body;
            body[0] = i + 1 < chain.Count ? chain[i + 1].Type : protocol;
            body.CopyTo(packet, offset);
            offset += body.Length;
        }

        l4.CopyTo(packet, offset);
        return packet;
    }

    private ushort PseudoHeaderChecksum(byte[] segment)
    {
        var addressLength = isIpv6 ? 16 : 4;
        var pseudo = new byte[(2 * addressLength) + (isIpv6 ? 8 : 4) + segment.Length];
        source.TryWriteBytes(pseudo.AsSpan(0), out _);
        destination.TryWriteBytes(pseudo.AsSpan(addressLength), out _);
        var at = 2 * addressLength;
        if (isIpv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(at), (uint)segment.Length);
            pseudo[at + 7] = protocol;
            at += 8;
        }
        else
        {
            pseudo[at + 1] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(at + 2), (ushort)segment.Length);
            at += 4;
        }

        segment.CopyTo(pseudo, at);
        return InternetChecksum.Compute(pseudo);
    }
}
