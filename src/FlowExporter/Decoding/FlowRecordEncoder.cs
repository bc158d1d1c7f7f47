using System.Runtime.InteropServices;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Decoding;

/// <summary>
/// Writes a <see cref="FlowEvent"/> in the kernel record layout. The inverse of
/// <see cref="FlowRecordDecoder"/>; used to replay recorded flows and to drive the pipeline in tests and
/// benchmarks without a kernel.
/// </summary>
public static class FlowRecordEncoder
{
    /// <summary>Encodes <paramref name="flow"/> into <paramref name="destination"/> (at least <see cref="FlowRecordDecoder.RecordSize"/> bytes).</summary>
    /// <param name="flow">The event; enrichment fields are ignored.</param>
    /// <param name="unixOffsetNs">Subtracted from the wall-clock timestamp to produce the kernel's monotonic one.</param>
    /// <param name="destination">Where to write.</param>
    public static void Encode(in FlowEvent flow, long unixOffsetNs, Span<byte> destination)
    {
        if (destination.Length < RawFlowRecord.Size)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, a record needs {RawFlowRecord.Size}", nameof(destination));
        }

        RawFlowRecord raw = default;
        raw.Version = RawFlowRecord.CurrentVersion;
        raw.Kind = (byte)flow.Kind;
        raw.Verdict = (byte)flow.Verdict;
        raw.Direction = (byte)flow.Direction;
        raw.IpVersion = flow.IpVersion;
        raw.Protocol = flow.Protocol;
        raw.TcpFlags = (byte)flow.TcpFlags;
        raw.TimestampNs = unchecked((ulong)(flow.TimestampUnixNs - unixOffsetNs));
        raw.EndpointId = flow.EndpointId;
        raw.IfIndex = flow.IfIndex;
        raw.SourceIdentity = flow.SourceIdentity;
        raw.DestinationIdentity = flow.DestinationIdentity;
        flow.SourceAddress.AsSpan().CopyTo(raw.SourceAddress);
        flow.DestinationAddress.AsSpan().CopyTo(raw.DestinationAddress);
        raw.SourcePort = flow.SourcePort;
        raw.DestinationPort = flow.DestinationPort;
        raw.IcmpType = flow.IcmpType;
        raw.IcmpCode = flow.IcmpCode;
        raw.DropReason = (byte)flow.DropReason;
        raw.Flags = (byte)((flow.Reply != ReplyState.Unknown ? RawFlowRecord.FlagReplyKnown : 0)
            | (flow.Reply == ReplyState.Reply ? RawFlowRecord.FlagIsReply : 0)
            | ((flow.TcpFlags & TcpFlagBits.Ns) != 0 ? RawFlowRecord.FlagTcpNs : 0));
        raw.PolicyRef = flow.PolicyRef;
        raw.PolicyMatchType = flow.PolicyMatchType;
        raw.SuppressedDrops = flow.SuppressedDrops;
        raw.Packets = flow.Packets;
        raw.Bytes = flow.Bytes;
        MemoryMarshal.Write(destination, in raw);
    }
}
