using Sluice.Bpf.Abi;
using Sluice.Bpf.Tests.Support;
using Xunit;
using static Sluice.Bpf.Tests.Support.DatapathFixture;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>Flow events rather than packet events: per-flow drop rate limiting and periodic reports.</summary>
public sealed class FlowEventTests
{
    [Fact]
    public void Drops_AreRateLimitedPerFlow_SuppressedCountReportedWithNextDrop()
    {
        var c = TrafficCase.Of(4, "tcp");
        var config = DatapathConfig.Default;
        config.DropEventsPerSecond = 2;
        using var dp = new DatapathFixture(config);
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var packet = c.Inbound(c.PeerAddress, 22, 8000);
        var otherFlow = c.Inbound(c.PeerAddress, 22, 8001);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TcActShot, dp.ToEndpoint(packet));
        }

        Assert.Equal(TcActShot, dp.ToEndpoint(otherFlow)); // another flow has its own budget
        Thread.Sleep(1100);
        Assert.Equal(TcActShot, dp.ToEndpoint(packet));

        // Counters are exact whatever the events do.
        Assert.Equal(12ul, dp.Packets(DatapathDirection.Ingress, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal(FlowEventType.Drop, r.EventType));
        Assert.Equal([8000, 8000, 8001, 8000], records.Select(r => (int)r.SourcePort).ToArray());
        Assert.Equal([0u, 0u, 0u, 8u], records.Select(r => r.SuppressedDrops).ToArray());
        Assert.Equal(11ul, records[3].PacketsForward);
    }

    [Fact]
    public void LongLivedFlow_EmitsPeriodicReportsWithCounters()
    {
        var c = TrafficCase.Of(6, "udp");
        var config = DatapathConfig.Default;
        config.AggregationIntervalNs = 300_000_000; // 300 ms: the first three packets fall well within it
        using var dp = new DatapathFixture(config);
        c.Describe(dp, DefaultDenyDirections.None);
        var request = c.Outbound(c.PeerAddress, 53, 9000);
        var reply = c.ReplyToOutbound(c.PeerAddress, 53, 9000);

        dp.FromEndpoint(request);
        dp.ToEndpoint(reply);
        dp.FromEndpoint(request); // before the interval: no report
        Thread.Sleep(450);
        dp.ToEndpoint(reply); // the first packet after the interval reports, whatever its direction

        var records = dp.DrainEvents();
        Assert.Equal([FlowEventType.FlowNew, FlowEventType.Report], records.Select(r => r.EventType).ToArray());
        var report = records[1];
        Assert.Equal((2ul, 2ul), (report.PacketsForward, report.PacketsReverse));
        Assert.Equal((ulong)(2 * request.Length), report.BytesForward);
        Assert.Equal((ulong)(2 * reply.Length), report.BytesReverse);
        Assert.Equal((1, DatapathDirection.Egress, ConntrackState.Established), (report.IsReply, report.Direction, report.ConntrackState));
    }

    [Fact]
    public void Reports_Disabled_EmitNothingForLongLivedFlows()
    {
        var c = TrafficCase.Of(4, "udp");
        var config = DatapathConfig.Default;
        config.AggregationIntervalNs = 1;
        config.NodeFlags = DatapathNodeOptions.None;
        using var dp = new DatapathFixture(config);
        c.Describe(dp, DefaultDenyDirections.None);
        var request = c.Outbound(c.PeerAddress, 53, 9100);

        for (var i = 0; i < 5; i++)
        {
            dp.FromEndpoint(request);
        }

        Assert.Equal(FlowEventType.FlowNew, Assert.Single(dp.DrainEvents()).EventType);
        Assert.Equal(5ul, dp.Packets(DatapathDirection.Egress, FlowVerdict.Forwarded));
    }
}
