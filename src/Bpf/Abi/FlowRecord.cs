using System.Net;
using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>
/// Mirror of <c>struct sluice_flow</c> (bpf/include/flow.h), one record of the <c>sluice_events</c> ring
/// buffer. Enumerated fields carry Hubble's numbers. Times are CLOCK_BOOTTIME nanoseconds.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct FlowRecord
{
    /// <summary>sizeof(struct sluice_flow).</summary>
    public const int Size = 128;

    /// <summary>The layout version this mirror decodes (SLUICE_FLOW_VERSION).</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>Layout version of the record.</summary>
    public ushort Version;

    /// <summary>What happened.</summary>
    public FlowEventType EventType;

    /// <summary>Verdict of this packet.</summary>
    public FlowVerdict Verdict;

    /// <summary>Drop reason; for audit, the would-be reason.</summary>
    public DropReason DropReason;

    /// <summary>Direction of the flow (its initiating packet), as Hubble's traffic_direction.</summary>
    public DatapathDirection Direction;

    /// <summary>4 or 6.</summary>
    public byte Family;

    /// <summary>IP protocol number.</summary>
    public byte Protocol;

    /// <summary>When this event happened.</summary>
    public ulong TimestampNs;

    /// <summary>When the flow's first packet was seen (0 without flow state).</summary>
    public ulong FlowStartNs;

    /// <summary>The host-side interface.</summary>
    public uint IfIndex;

    /// <summary>The endpoint.</summary>
    public uint EndpointId;

    /// <summary>Identity of the packet's source.</summary>
    public uint SourceIdentity;

    /// <summary>Identity of the packet's destination.</summary>
    public uint DestinationIdentity;

    /// <summary>Source address of the packet.</summary>
    public AddressBytes SourceAddressBytes;

    /// <summary>Destination address of the packet.</summary>
    public AddressBytes DestinationAddressBytes;

    /// <summary>Source port, host order (0 for ICMP).</summary>
    public ushort SourcePort;

    /// <summary>Destination port, host order (0 for ICMP).</summary>
    public ushort DestinationPort;

    /// <summary>TCP flags of this packet.</summary>
    public byte TcpFlags;

    /// <summary>Union of the TCP flags seen on the flow.</summary>
    public byte TcpFlagsSeen;

    /// <summary>ICMP type (ICMP and ICMPv6).</summary>
    public byte IcmpType;

    /// <summary>ICMP code.</summary>
    public byte IcmpCode;

    /// <summary>1 when the packet travels against the flow's initiating direction.</summary>
    public byte IsReply;

    /// <summary>How the deciding policy entry matched.</summary>
    public PolicyMatchType MatchType;

    /// <summary>Conntrack state after this packet.</summary>
    public ConntrackState ConntrackState;

    private byte _pad0;

    /// <summary>Rule set that decided (0: none).</summary>
    public uint PolicyRef;

    /// <summary>Endpoint policy revision of the verdict.</summary>
    public uint PolicyRevision;

    /// <summary>Drop events suppressed by rate limiting since the previous one of this flow.</summary>
    public uint SuppressedDrops;

    /// <summary>Packets in the initiating direction.</summary>
    public ulong PacketsForward;

    /// <summary>Bytes in the initiating direction.</summary>
    public ulong BytesForward;

    /// <summary>Reply packets.</summary>
    public ulong PacketsReverse;

    /// <summary>Reply bytes.</summary>
    public ulong BytesReverse;

    /// <summary>The packet's source address.</summary>
    public readonly IPAddress SourceAddress => SourceAddressBytes.ToAddress(Family);

    /// <summary>The packet's destination address.</summary>
    public readonly IPAddress DestinationAddress => DestinationAddressBytes.ToAddress(Family);

    /// <summary>Reads a record from ring-buffer bytes.</summary>
    /// <exception cref="ArgumentException">The span is shorter than <see cref="Size"/> or the version is not <see cref="CurrentVersion"/>.</exception>
    public static FlowRecord Read(ReadOnlySpan<byte> bytes)
    {
        if (!TryRead(bytes, out var record))
        {
            throw new ArgumentException($"Not a version {CurrentVersion} flow record of {Size} bytes (got {bytes.Length} bytes).", nameof(bytes));
        }

        return record;
    }

    /// <summary>Reads a record without throwing; false when the span is short or the version differs.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out FlowRecord record)
    {
        if (bytes.Length < Size)
        {
            record = default;
            return false;
        }

        record = MemoryMarshal.Read<FlowRecord>(bytes);
        return record.Version == CurrentVersion;
    }
}
