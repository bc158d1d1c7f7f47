using System.Runtime.InteropServices;
using Sluice.Api.Flow;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Decoding;

/// <summary>
/// Decodes kernel flow records (bpf/include/flow.h, mirrored by <see cref="FlowRecord"/>) into
/// <see cref="FlowEvent"/>. Pure and allocation-free; a record it cannot trust is rejected with a status,
/// never an exception, because this runs on the per-event hot path (STYLE §4). The record's enumerated
/// fields already use Hubble's numbers (verdict, direction, drop reason, match type), so they pass through.
/// </summary>
public static class FlowRecordDecoder
{
    /// <summary>Size of the record layout this decoder reads.</summary>
    public const int RecordSize = FlowRecord.Size;

    /// <summary>Decodes one record.</summary>
    /// <param name="record">The record bytes as read from the ring buffer.</param>
    /// <param name="unixOffsetNs">Added to the record's CLOCK_BOOTTIME timestamp (see <see cref="MonotonicClock"/>).</param>
    /// <param name="flow">The decoded event; enrichment fields are left null.</param>
    public static FlowDecodeStatus Decode(ReadOnlySpan<byte> record, long unixOffsetNs, out FlowEvent flow)
    {
        flow = default;
        if (record.Length < FlowRecord.Size)
        {
            return FlowDecodeStatus.Truncated;
        }

        ref readonly FlowRecord raw = ref MemoryMarshal.AsRef<FlowRecord>(record[..FlowRecord.Size]);
        if (raw.Version != FlowRecord.CurrentVersion)
        {
            return FlowDecodeStatus.UnsupportedVersion;
        }

        FlowEventKind kind = raw.EventType switch
        {
            FlowEventType.FlowNew or FlowEventType.PolicyChange => FlowEventKind.PolicyVerdict,
            FlowEventType.Drop => FlowEventKind.Drop,
            FlowEventType.TcpFlags => FlowEventKind.Trace,
            FlowEventType.Report => FlowEventKind.Report,
            _ => FlowEventKind.Unknown,
        };
        if (kind == FlowEventKind.Unknown
            || raw.Family is not (4 or 6)
            || (byte)raw.Direction > (byte)TrafficDirection.Egress
            || (byte)raw.Verdict > (byte)Verdict.Translated
            || raw.IsReply > 1)
        {
            return FlowDecodeStatus.InvalidField;
        }

        flow.TimestampUnixNs = unchecked((long)raw.TimestampNs + unixOffsetNs);
        flow.Kind = kind;
        flow.Verdict = (Verdict)raw.Verdict;
        flow.DropReason = (Api.Flow.DropReason)raw.DropReason;
        flow.Direction = (TrafficDirection)raw.Direction;
        flow.Reply = raw.IsReply != 0 ? ReplyState.Reply : ReplyState.Request;
        flow.IpVersion = raw.Family;
        flow.Protocol = raw.Protocol;
        flow.PolicyMatchType = (byte)raw.MatchType;
        flow.TcpFlags = (TcpFlagBits)raw.TcpFlags;
        flow.SourceAddress = MemoryMarshal.Read<IpAddress16>(raw.SourceAddressBytes);
        flow.DestinationAddress = MemoryMarshal.Read<IpAddress16>(raw.DestinationAddressBytes);
        flow.SourcePort = raw.SourcePort;
        flow.DestinationPort = raw.DestinationPort;
        flow.IcmpType = raw.IcmpType;
        flow.IcmpCode = raw.IcmpCode;
        flow.EndpointId = raw.EndpointId;
        flow.IfIndex = raw.IfIndex;
        flow.SourceIdentity = raw.SourceIdentity;
        flow.DestinationIdentity = raw.DestinationIdentity;
        flow.PolicyRef = raw.PolicyRef;
        flow.SuppressedDrops = raw.SuppressedDrops;
        flow.Packets = raw.PacketsForward + raw.PacketsReverse;
        flow.Bytes = raw.BytesForward + raw.BytesReverse;
        return FlowDecodeStatus.Ok;
    }
}
