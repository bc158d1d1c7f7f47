using Sluice.Bpf.Abi;
using Xunit;
using static Sluice.Bpf.Tests.Support.DatapathFixture;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// With nobody draining, a full ring loses records; every record not delivered is counted in sluice_lost,
/// and the per-CPU counters stay exact.
/// </summary>
public sealed class RingOverflowTests
{
    [Fact]
    public void FullRing_EveryUndeliveredRecordIsCountedAsLost()
    {
        // One page: room for about 30 records of 128 bytes plus their 8-byte ring headers.
        using var dp = new Support.DatapathFixture(ringBytes: (uint)Environment.SystemPageSize);
        var c = TrafficCase.Of(4, "udp");
        c.Describe(dp, DefaultDenyDirections.None);
        const int Flows = 200;

        for (ushort flow = 1; flow <= Flows; flow++)
        {
            Assert.Equal(TcActOk, dp.FromEndpoint(c.Outbound(c.PeerAddress, 53, flow)));
        }

        var delivered = dp.DrainEvents();
        var lost = dp.Lost();
        Assert.True(lost > 0, "the ring should have overflowed");
        Assert.True(delivered.Count > 0, "the ring should have held some records");
        Assert.Equal((ulong)Flows, (ulong)delivered.Count + lost);
        // What was delivered is the first flows, in order: the ring drops the newest, never reorders.
        Assert.Equal(Enumerable.Range(1, delivered.Count).Select(i => (ushort)i), delivered.Select(r => r.SourcePort));
        Assert.Equal((ulong)Flows, dp.Packets(DatapathDirection.Egress, FlowVerdict.Forwarded));

        // Once drained, the ring accepts records again and the loss count does not move.
        for (ushort flow = Flows + 1; flow <= Flows + 10; flow++)
        {
            dp.FromEndpoint(c.Outbound(c.PeerAddress, 53, flow));
        }

        Assert.Equal(10, dp.DrainEvents().Count);
        Assert.Equal(lost, dp.Lost());
    }
}
