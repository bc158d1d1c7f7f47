using System.Runtime.InteropServices;
using Sluice.Api.Flow;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Decoding;

/// <summary>
/// Decodes kernel flow records (<see cref="RawFlowRecord"/>) into <see cref="FlowEvent"/>. Pure and
/// allocation-free; a record it cannot trust is rejected with a status, never an exception, because this
/// runs on the per-event hot path (STYLE §4).
/// </summary>
public static class FlowRecordDecoder
{
    /// <summary>Size of the record layout this decoder reads.</summary>
    public const int RecordSize = RawFlowRecord.Size;

    /// <summary>Decodes one record.</summary>
    /// <param name="record">The record bytes as read from the ring buffer.</param>
    /// <param name="unixOffsetNs">Added to the record's CLOCK_MONOTONIC timestamp (see <see cref="MonotonicClock"/>).</param>
    /// <param name="flow">The decoded event; enrichment fields are left null.</param>
    public static FlowDecodeStatus Decode(ReadOnlySpan<byte> record, long unixOffsetNs, out FlowEvent flow)
    {
        flow = default;
        if (record.Length < RawFlowRecord.Size)
        {
            return FlowDecodeStatus.Truncated;
        }

        ref readonly RawFlowRecord raw = ref MemoryMarshal.AsRef<RawFlowRecord>(record[..RawFlowRecord.Size]);
        if (raw.Version != RawFlowRecord.CurrentVersion)
        {
            return FlowDecodeStatus.UnsupportedVersion;
        }

        if (raw.Kind is 0 or > (byte)FlowEventKind.Report
            || raw.IpVersion is not (0 or 4 or 6)
            || raw.Direction > (byte)TrafficDirection.Egress
            || raw.Verdict > (byte)Verdict.Translated)
        {
            return FlowDecodeStatus.InvalidField;
        }

        flow.TimestampUnixNs = unchecked((long)raw.TimestampNs + unixOffsetNs);
        flow.Kind = (FlowEventKind)raw.Kind;
        flow.Verdict = (Verdict)raw.Verdict;
        flow.DropReason = (DropReason)raw.DropReason;
        flow.Direction = (TrafficDirection)raw.Direction;
        flow.Reply = (raw.Flags & RawFlowRecord.FlagReplyKnown) == 0
            ? ReplyState.Unknown
            : (raw.Flags & RawFlowRecord.FlagIsReply) != 0 ? ReplyState.Reply : ReplyState.Request;
        flow.IpVersion = raw.IpVersion;
        flow.Protocol = raw.Protocol;
        flow.PolicyMatchType = raw.PolicyMatchType;
        flow.TcpFlags = (TcpFlagBits)raw.TcpFlags
            | ((raw.Flags & RawFlowRecord.FlagTcpNs) != 0 ? TcpFlagBits.Ns : TcpFlagBits.None);
        flow.SourceAddress = MemoryMarshal.Read<IpAddress16>(record.Slice(32, 16));
        flow.DestinationAddress = MemoryMarshal.Read<IpAddress16>(record.Slice(48, 16));
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
        flow.Packets = raw.Packets;
        flow.Bytes = raw.Bytes;
        return FlowDecodeStatus.Ok;
    }
}
