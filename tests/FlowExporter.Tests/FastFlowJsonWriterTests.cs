using Google.Protobuf;
using Sluice.Api.Flow;
using Sluice.Api.Observer;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Xunit;

namespace Sluice.FlowExporter.Tests;

/// <summary>The fast JSON path must write byte for byte what Google.Protobuf's JsonFormatter writes.</summary>
public class FastFlowJsonWriterTests
{
    private static readonly JsonFormatter Reference = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
    private static readonly FlowConversionContext Context = new("node-1", "0.1.0", "01234567-89ab-cdef-0123");

    private static string Expected(GetFlowsResponse response) => JsonpbFormatter.Compact(Reference.Format(response));

    public static IEnumerable<object[]> Variations()
    {
        FlowEvent[] bases = [TestFlows.NewTcp(), TestFlows.DroppedUdp(), TestFlows.SynAckReplyV6(), TestFlows.PingWorld()];
        long[] nanos = [0, 123_000_000, 123_456_000, 123_456_789, 1];
        int n = 0;
        foreach (var flow in bases)
        {
            foreach (long extra in nanos)
            {
                foreach (bool enrich in (bool[])[true, false])
                {
                    var e = enrich ? TestFlows.Enriched(flow) : flow;
                    e.TimestampUnixNs = (TestFlows.BaseTimeNs / 1_000_000_000 * 1_000_000_000) + extra;
                    e.Sequence = (ulong)(n * 7919);
                    e.Reply = (ReplyState)(n % 3);
                    e.PolicyRef = n % 2 == 0 ? 5u : 0u;
                    e.TcpFlags = (TcpFlagBits)(n * 37 % 512);
                    e.SuppressedDrops = (uint)(n % 4);
                    e.Kind = (FlowEventKind)((n % 4) + 1);
                    e.Verdict = (n % 5) switch { 0 => Verdict.Forwarded, 1 => Verdict.Dropped, 2 => Verdict.Audit, 3 => Verdict.Forwarded, _ => Verdict.Dropped };
                    e.DropReason = n % 2 == 0 ? DropReason.PolicyDeny : DropReason.PolicyDenied;
                    e.Direction = (TrafficDirection)(n % 3);
                    e.IfIndex = (uint)(n % 2 == 0 ? 22 : 0);
                    n++;
                    yield return [e];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variations))]
    public void TryFormat_SluiceFlow_EqualsJsonFormatterOutput(FlowEvent flow)
    {
        var proto = FlowProtoConverter.ToProto(flow, Context);
        var response = new GetFlowsResponse { Flow = proto, NodeName = "node-1", Time = proto.Time };
        string? fast = FastFlowJsonWriter.TryFormat(response);
        Assert.NotNull(fast);
        Assert.Equal(Expected(response), fast);
    }

    [Fact]
    public void TryFormat_MaskedFlow_EqualsJsonFormatterOutput()
    {
        var proto = FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.NewTcp()), Context);
        var masked = new Flow();
        new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "verdict", "source.pod_name", "l4" } }.Merge(proto, masked);
        var response = new GetFlowsResponse { Flow = masked, NodeName = "node-1" };
        Assert.Equal(Expected(response), FastFlowJsonWriter.TryFormat(response));
    }

    [Fact]
    public void TryFormat_FieldsOutsideTheFastPath_Declines()
    {
        var proto = FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.NewTcp()), Context);
        var withL7 = proto.Clone();
        withL7.L7 = new Layer7 { Type = L7FlowType.Request, Http = new HTTP { Method = "GET" } };
        var withEscapes = proto.Clone();
        withEscapes.Source = withEscapes.Source.Clone();
        withEscapes.Source.Labels.Add("k8s:owner=ünïcode");
        var withQuote = proto.Clone();
        withQuote.NodeName = "a\"b";

        Assert.Null(FastFlowJsonWriter.TryFormat(new GetFlowsResponse { Flow = withL7 }));
        Assert.Null(FastFlowJsonWriter.TryFormat(new GetFlowsResponse { Flow = withEscapes }));
        Assert.Null(FastFlowJsonWriter.TryFormat(new GetFlowsResponse { Flow = withQuote }));
        Assert.Null(FastFlowJsonWriter.TryFormat(new GetFlowsResponse { LostEvents = new LostEvent { NumEventsLost = 1 } }));
    }

    [Fact]
    public void FormatMessage_DeclinedFlow_StillFormatsThroughJsonFormatter()
    {
        var proto = FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.NewTcp()), Context);
        proto.L7 = new Layer7 { Type = L7FlowType.Request, Http = new HTTP { Method = "GET" } };
        var response = new GetFlowsResponse { Flow = proto, NodeName = "node-1" };
        Assert.Equal(Expected(response), JsonpbFormatter.FormatMessage(response));
    }
}
