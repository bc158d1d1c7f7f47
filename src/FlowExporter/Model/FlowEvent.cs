using Sluice.Api.Flow;

namespace Sluice.FlowExporter.Model;

/// <summary>
/// One decoded (and, after the enrich stage, enriched) flow event. A value type so batches are plain
/// arrays and decoding allocates nothing; the reference fields point at objects shared across events.
/// Converted to the Hubble <see cref="Flow"/> message only where a sink needs it.
/// </summary>
// Public fields on purpose: decode and enrich write them in place through `ref`, and sinks read them
// through `in`, with no copy or accessor call per field on the hot path.
#pragma warning disable CA1051
public struct FlowEvent
{
    /// <summary>Wall-clock time of the event, nanoseconds since the Unix epoch.</summary>
    public long TimestampUnixNs;

    /// <summary>Position of this event in the pipeline's output, starting at 1; used for the flow uuid.</summary>
    public ulong Sequence;

    /// <summary>What the datapath reported.</summary>
    public FlowEventKind Kind;

    /// <summary>Hubble verdict (FORWARDED, DROPPED, AUDIT).</summary>
    public Verdict Verdict;

    /// <summary>Drop reason for DROPPED, and the would-be reason for AUDIT.</summary>
    public DropReason DropReason;

    /// <summary>Direction relative to the local endpoint: INGRESS means towards it.</summary>
    public TrafficDirection Direction;

    /// <summary>Whether the packet was in the reply direction of its connection.</summary>
    public ReplyState Reply;

    /// <summary>4 or 6; 0 when the packet had no IP header the datapath understood.</summary>
    public byte IpVersion;

    /// <summary>IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, 132 SCTP).</summary>
    public byte Protocol;

    /// <summary>Hubble policy match type for policy-verdict events (0 none … 6 proto-only).</summary>
    public byte PolicyMatchType;

    /// <summary>TCP flags seen in the packet that caused the event.</summary>
    public TcpFlagBits TcpFlags;

    /// <summary>Source address.</summary>
    public IpAddress16 SourceAddress;

    /// <summary>Destination address.</summary>
    public IpAddress16 DestinationAddress;

    /// <summary>L4 source port (TCP, UDP, SCTP).</summary>
    public ushort SourcePort;

    /// <summary>L4 destination port (TCP, UDP, SCTP).</summary>
    public ushort DestinationPort;

    /// <summary>ICMP or ICMPv6 type.</summary>
    public byte IcmpType;

    /// <summary>ICMP or ICMPv6 code.</summary>
    public byte IcmpCode;

    /// <summary>Local endpoint the event was observed on.</summary>
    public uint EndpointId;

    /// <summary>Interface index of the endpoint's host-side interface.</summary>
    public uint IfIndex;

    /// <summary>Security identity of the source.</summary>
    public uint SourceIdentity;

    /// <summary>Security identity of the destination.</summary>
    public uint DestinationIdentity;

    /// <summary>Policy-reference id of the map entry that decided the verdict; 0 when none matched.</summary>
    public uint PolicyRef;

    /// <summary>Drops of this flow suppressed by the kernel's per-flow rate limit since the previous drop event.</summary>
    public uint SuppressedDrops;

    /// <summary>Packets counted for this flow (report events).</summary>
    public ulong Packets;

    /// <summary>Bytes counted for this flow (report events).</summary>
    public ulong Bytes;

    /// <summary>Source side after enrichment; null when unknown.</summary>
    public EndpointView? Source;

    /// <summary>Destination side after enrichment; null when unknown.</summary>
    public EndpointView? Destination;

    /// <summary>Policies behind <see cref="PolicyRef"/> after enrichment.</summary>
    public PolicyRefInfo? Policies;

    /// <summary>Name of interface <see cref="IfIndex"/> after enrichment.</summary>
    public string? InterfaceName;
}
#pragma warning restore CA1051
