using System.Runtime.InteropServices;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Decoding;

/// <summary>
/// Writes a <see cref="FlowEvent"/> in the kernel record layout (<see cref="FlowRecord"/>). The inverse
/// of <see cref="FlowRecordDecoder"/> for the fields it reads (report counters go to the forward
/// direction); used to replay recorded flows and to drive the pipeline in tests and benchmarks.
/// </summary>
public static class FlowRecordEncoder
{
    /// <summary>Encodes <paramref name="flow"/> into <paramref name="destination"/> (at least <see cref="FlowRecord.Size"/> bytes).</summary>
    public static void Encode(in FlowEvent flow, long unixOffsetNs, Span<byte> destination)
    {
        if (destination.Length < FlowRecord.Size)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, a record needs {FlowRecord.Size}", nameof(destination));
        }

        FlowRecord raw = default;
        raw.Version = FlowRecord.CurrentVersion;
        raw.EventType = flow.Kind switch
        {
            FlowEventKind.PolicyVerdict => FlowEventType.FlowNew,
            FlowEventKind.Drop => FlowEventType.Drop,
            FlowEventKind.Trace => FlowEventType.TcpFlags,
            FlowEventKind.Report => FlowEventType.Report,
            _ => FlowEventType.Unknown,
        };
        raw.Verdict = (FlowVerdict)flow.Verdict;
        raw.DropReason = (DropReason)flow.DropReason;
        raw.Direction = (DatapathDirection)flow.Direction;
        raw.Family = flow.IpVersion;
        raw.Protocol = flow.Protocol;
        raw.TimestampNs = unchecked((ulong)(flow.TimestampUnixNs - unixOffsetNs));
        raw.EndpointId = flow.EndpointId;
        raw.IfIndex = flow.IfIndex;
        raw.SourceIdentity = flow.SourceIdentity;
        raw.DestinationIdentity = flow.DestinationIdentity;
        flow.SourceAddress.AsSpan().CopyTo(MemoryMarshal.AsBytes(new Span<AddressBytes>(ref raw.SourceAddressBytes)));
        flow.DestinationAddress.AsSpan().CopyTo(MemoryMarshal.AsBytes(new Span<AddressBytes>(ref raw.DestinationAddressBytes)));
        raw.SourcePort = flow.SourcePort;
        raw.DestinationPort = flow.DestinationPort;
        raw.TcpFlags = (byte)flow.TcpFlags;
        raw.IcmpType = flow.IcmpType;
        raw.IcmpCode = flow.IcmpCode;
        raw.IsReply = flow.Reply == ReplyState.Reply ? (byte)1 : (byte)0;
        raw.MatchType = (PolicyMatchType)flow.PolicyMatchType;
        raw.PolicyRef = flow.PolicyRef;
        raw.SuppressedDrops = flow.SuppressedDrops;
        raw.PacketsForward = flow.Packets;
        raw.BytesForward = flow.Bytes;
        MemoryMarshal.Write(destination, in raw);
    }
}
