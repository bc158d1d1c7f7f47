using Sluice.Api.Flow;
using Sluice.FlowExporter.Formatting;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public class CompactFormatterTests
{
    private static readonly FlowConversionContext Context = new("node1", "0.1.0", "01234567-89ab-cdef-0123");

    private static string Line(Model.FlowEvent flow) =>
        CompactFormatter.Format(FlowProtoConverter.ToProto(TestFlows.Enriched(flow), Context), TimeZoneInfo.Utc);

    [Fact]
    public void Format_AllowedNewConnection_PrintsPolicyVerdictLine()
    {
        Assert.Equal(
            "Nov 27 12:34:56.123: shop/frontend:40000 (ID:1001) -> shop/api:8080 (ID:1002) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)",
            Line(TestFlows.NewTcp()));
    }

    [Fact]
    public void Format_DropFromWorld_PrintsDropReasonAndReservedIdentity()
    {
        Assert.Equal(
            "Nov 27 12:34:56.123: 198.51.100.7:5353 (world) -> shop/frontend:22 (ID:1001) Policy denied DROPPED (UDP)",
            Line(TestFlows.DroppedUdp()));
    }

    [Fact]
    public void Format_Reply_SwapsColumnsAndPointsArrowLeft()
    {
        Assert.Equal(
            "Nov 27 12:34:56.123: shop/frontend:40000 (ID:1001) <- shop/api:8080 (ID:1002) from-endpoint FORWARDED (TCP Flags: SYN, ACK)",
            Line(TestFlows.SynAckReplyV6()));
    }

    [Fact]
    public void Format_AuditedPing_PrintsAuditedAndIcmpSummary()
    {
        Assert.Equal(
            "Nov 27 12:34:56.123: shop/frontend (ID:1001) -> 192.0.2.1 (world) policy-verdict:none EGRESS AUDITED (ICMPv4 EchoRequest)",
            Line(TestFlows.PingWorld()));
    }

    [Fact]
    public void Format_UnknownReplyState_UsesBothWaysArrowAndNodeName()
    {
        var flow = FlowProtoConverter.ToProto(TestFlows.NewTcp(), Context);
        flow.IsReply = null;
        string line = CompactFormatter.Format(flow, TimeZoneInfo.Utc, printNodeName: true);
        Assert.StartsWith("Nov 27 12:34:56.123 [node1]: 10.10.0.2:40000 (ID:1001) <> 10.10.0.3:8080 (ID:1002) ", line);
    }

    [Theory]
    [InlineData("fd00::3", "8080", "", "", "", "[fd00::3]:8080")]
    [InlineData("10.0.0.1", "0", "", "", "", "10.0.0.1")]
    [InlineData("10.0.0.1", "", "ns", "pod", "", "ns/pod")]
    [InlineData("10.0.0.1", "53", "", "pod", "", "pod:53")]
    [InlineData("10.0.0.1", "80", "ns", "", "svc", "ns/svc:80")]
    public void HostName_FollowsHubbleRules(string ip, string port, string ns, string pod, string service, string expected)
    {
        Assert.Equal(expected, CompactFormatter.HostName(ip, port, ns, pod, service, []));
    }

    [Fact]
    public void HostName_DnsNames_AreJoined()
    {
        Assert.Equal("a.example,b.example:443", CompactFormatter.HostName("192.0.2.1", "443", "", "", "", ["a.example", "b.example"]));
    }

    [Theory]
    [InlineData(0u, "(unknown)")]
    [InlineData(1u, "(host)")]
    [InlineData(2u, "(world)")]
    [InlineData(6u, "(remote-node)")]
    [InlineData(16777217u, "(ID:16777217)")]
    public void IdentityText_ReservedAndNumbered(uint identity, string expected)
    {
        Assert.Equal(expected, CompactFormatter.IdentityText(identity));
    }

    [Fact]
    public void TimeText_MissingTime_IsNotAvailable()
    {
        Assert.Equal("N/A", CompactFormatter.TimeText(null));
    }

    [Fact]
    public void TimeText_SingleDigitDay_IsSpacePadded()
    {
        var time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero));
        Assert.Equal("Jan  2 03:04:05.006", CompactFormatter.TimeText(time, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData(Model.TcpFlagBits.Syn, "SYN")]
    [InlineData(Model.TcpFlagBits.Syn | Model.TcpFlagBits.Ack, "SYN, ACK")]
    [InlineData(Model.TcpFlagBits.Ack | Model.TcpFlagBits.Fin, "ACK, FIN")]
    [InlineData(Model.TcpFlagBits.Ack | Model.TcpFlagBits.Rst, "ACK, RST")]
    [InlineData(Model.TcpFlagBits.Ack | Model.TcpFlagBits.Psh, "ACK, PSH")]
    public void TcpFlagsText_UsesHubbleOrder(Model.TcpFlagBits flags, string expected)
    {
        Assert.Equal(expected, FlowProtoConverter.TcpFlagsText(flags));
    }

    [Fact]
    public void Summary_SuppressedDrops_AreMentioned()
    {
        var flow = TestFlows.DroppedUdp();
        flow.SuppressedDrops = 4;
        Assert.Equal("UDP; 4 similar drops suppressed", FlowProtoConverter.Summary(flow));
    }
}
