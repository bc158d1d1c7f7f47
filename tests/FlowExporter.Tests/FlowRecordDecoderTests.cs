using Sluice.Api.Flow;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Model;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public class FlowRecordDecoderTests
{
    private const long Offset = 1_700_000_000_000_000_000;

    private static byte[] Encode(FlowEvent flow)
    {
        var bytes = new byte[FlowRecord.Size];
        FlowRecordEncoder.Encode(flow, Offset, bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Decode_EncodedEvent_RoundTripsEveryField(int which)
    {
        var expected = which switch
        {
            0 => TestFlows.NewTcp(),
            1 => TestFlows.DroppedUdp(),
            2 => TestFlows.SynAckReplyV6(),
            _ => TestFlows.PingWorld(),
        };
        expected.Sequence = 0;

        var status = FlowRecordDecoder.Decode(Encode(expected), Offset, out var actual);

        Assert.Equal(FlowDecodeStatus.Ok, status);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Decode_KernelTimestamp_AddsBootTimeOffset()
    {
        var bytes = Encode(TestFlows.NewTcp());
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), 1_000UL);

        FlowRecordDecoder.Decode(bytes, 5_000, out var flow);

        Assert.Equal(6_000, flow.TimestampUnixNs);
    }

    [Fact]
    public void Decode_ShortRecord_IsTruncated()
    {
        Assert.Equal(FlowDecodeStatus.Truncated, FlowRecordDecoder.Decode(new byte[FlowRecord.Size - 1], 0, out _));
    }

    [Fact]
    public void Decode_OtherVersion_IsUnsupported()
    {
        var bytes = Encode(TestFlows.NewTcp());
        bytes[0] = 9;
        Assert.Equal(FlowDecodeStatus.UnsupportedVersion, FlowRecordDecoder.Decode(bytes, 0, out _));
    }

    [Theory]
    [InlineData(2, 0)] // event type 0
    [InlineData(2, 9)] // event type beyond POLICY_CHANGE
    [InlineData(6, 5)] // family 5
    [InlineData(5, 3)] // direction 3
    [InlineData(3, 9)] // verdict 9
    public void Decode_FieldOutOfDomain_IsInvalid(int offset, byte value)
    {
        var bytes = Encode(TestFlows.NewTcp());
        bytes[offset] = value;
        Assert.Equal(FlowDecodeStatus.InvalidField, FlowRecordDecoder.Decode(bytes, 0, out _));
    }

    [Fact]
    public void Decode_PolicyChangeEvent_IsPolicyVerdict()
    {
        var bytes = Encode(TestFlows.NewTcp());
        bytes[2] = (byte)FlowEventType.PolicyChange;
        FlowRecordDecoder.Decode(bytes, 0, out var flow);
        Assert.Equal(FlowEventKind.PolicyVerdict, flow.Kind);
        Assert.Equal(Verdict.Forwarded, flow.Verdict);
    }

    [Fact]
    public void Decode_ReportCounters_SumBothDirections()
    {
        var bytes = Encode(TestFlows.NewTcp());
        BitConverter.TryWriteBytes(bytes.AsSpan(96, 8), 3UL);   // packets_fwd
        BitConverter.TryWriteBytes(bytes.AsSpan(104, 8), 300UL); // bytes_fwd
        BitConverter.TryWriteBytes(bytes.AsSpan(112, 8), 2UL);   // packets_rev
        BitConverter.TryWriteBytes(bytes.AsSpan(120, 8), 200UL); // bytes_rev
        FlowRecordDecoder.Decode(bytes, 0, out var flow);
        Assert.Equal(5UL, flow.Packets);
        Assert.Equal(500UL, flow.Bytes);
    }
}
