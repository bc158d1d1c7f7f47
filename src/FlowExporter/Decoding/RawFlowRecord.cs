using System.Runtime.InteropServices;

namespace Sluice.FlowExporter.Decoding;

/// <summary>
/// The kernel→user flow record as the decode stage reads it: fixed-width little-endian fields, explicit
/// padding, a version first. Layout (offsets in bytes):
/// <code>
///  0 u16 version       2 u8 kind          3 u8 verdict      4 u8 direction   5 u8 ip_version
///  6 u8 protocol       7 u8 tcp_flags     8 u64 timestamp_ns (CLOCK_MONOTONIC, bpf_ktime_get_ns)
/// 16 u32 endpoint_id  20 u32 ifindex     24 u32 src_identity 28 u32 dst_identity
/// 32 u8[16] src_addr  48 u8[16] dst_addr (network order; IPv4 in the first 4 bytes)
/// 64 u16 src_port     66 u16 dst_port    (host order)
/// 68 u8 icmp_type     69 u8 icmp_code    70 u8 drop_reason  71 u8 flags (bit0 reply known, bit1 is reply, bit2 TCP NS)
/// 72 u32 policy_ref   76 u8 policy_match_type  77 u8[3] pad
/// 80 u32 suppressed_drops  84 u32 pad    88 u64 packets     96 u64 bytes      → 104 bytes
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = Size)]
internal struct RawFlowRecord
{
    /// <summary>Size in bytes.</summary>
    public const int Size = 104;

    /// <summary>The record version this decoder understands.</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>flags bit: the datapath knows whether this packet is a reply.</summary>
    public const byte FlagReplyKnown = 0x01;

    /// <summary>flags bit: the packet is a reply.</summary>
    public const byte FlagIsReply = 0x02;

    /// <summary>flags bit: the TCP NS flag was set.</summary>
    public const byte FlagTcpNs = 0x04;

    public ushort Version;
    public byte Kind;
    public byte Verdict;
    public byte Direction;
    public byte IpVersion;
    public byte Protocol;
    public byte TcpFlags;
    public ulong TimestampNs;
    public uint EndpointId;
    public uint IfIndex;
    public uint SourceIdentity;
    public uint DestinationIdentity;
    public Address SourceAddress;
    public Address DestinationAddress;
    public ushort SourcePort;
    public ushort DestinationPort;
    public byte IcmpType;
    public byte IcmpCode;
    public byte DropReason;
    public byte Flags;
    public uint PolicyRef;
    public byte PolicyMatchType;
    public byte Pad0;
    public byte Pad1;
    public byte Pad2;
    public uint SuppressedDrops;
    public uint Pad3;
    public ulong Packets;
    public ulong Bytes;

    /// <summary>16 address bytes.</summary>
    [System.Runtime.CompilerServices.InlineArray(16)]
    public struct Address
    {
        private byte _element0;
    }
}
