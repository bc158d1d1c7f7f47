using Sluice.Bpf.Abi;
using Sluice.Bpf.Tests.Support;
using Xunit;
using static Sluice.Bpf.Tests.Support.DatapathFixture;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// Fragment tracking (bpf/include/fragments.h): later fragments carry no transport header and follow their
/// first fragment's flow; without a first fragment they are dropped with reason 175.
/// </summary>
public sealed class FragmentTests
{
    private const DatapathDirection In = DatapathDirection.Ingress;

    [Theory]
    [InlineData(4, "udp")]
    [InlineData(4, "tcp")]
    [InlineData(4, "icmp")]
    [InlineData(6, "udp")]
    [InlineData(6, "sctp")]
    [InlineData(6, "icmp")]
    public void LaterFragments_OfAllowedDatagram_FollowFirstFragmentsFlow(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, c.Protocol, c.ServicePort, c.ServicePort, 5);
        var first = Fragmented(c, c.ServicePort, id: 77, offsetUnits: 0, more: true);

        Assert.Equal(TcActOk, dp.ToEndpoint(first));
        Assert.Equal(TcActOk, dp.ToEndpoint(Later(c, 77, offsetUnits: 4, more: true)));
        Assert.Equal(TcActOk, dp.ToEndpoint(Later(c, 77, offsetUnits: 8, more: false)));
        // A later fragment of a datagram whose first fragment never came: dropped.
        Assert.Equal(TcActShot, dp.ToEndpoint(Later(c, 78, offsetUnits: 4, more: false)));

        Assert.Equal(3ul, dp.Packets(In, FlowVerdict.Forwarded));
        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.FirstLogicalDatagramFragmentNotFound));
        Assert.Equal((1ul, 2ul), (dp.Debug(DebugCounter.FragmentTracked), dp.Debug(DebugCounter.FragmentMatched)));
        var flow = Assert.Single(dp.Conntrack());
        Assert.Equal(3ul, flow.Value.PacketsForward);
        var records = dp.DrainEvents();
        Assert.Equal([FlowEventType.FlowNew, FlowEventType.Drop], records.Select(r => r.EventType).ToArray());
        Assert.Equal(DropReason.FirstLogicalDatagramFragmentNotFound, records[1].DropReason);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void LaterFragments_OfDeniedDatagram_AreDroppedWithTheFlowsReason(int family)
    {
        var c = TrafficCase.Of(family, "udp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, 17, 53, 53, 5);

        Assert.Equal(TcActShot, dp.ToEndpoint(Fragmented(c, 54, id: 90, offsetUnits: 0, more: true)));
        Assert.Equal(TcActShot, dp.ToEndpoint(Later(c, 90, offsetUnits: 4, more: false)));

        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        Assert.Equal(0ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.FirstLogicalDatagramFragmentNotFound));
    }

    private static byte[] Fragmented(TrafficCase c, ushort port, uint id, ushort offsetUnits, bool more)
    {
        var builder = PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).WithFragmentId(id).AsFragment(offsetUnits, more).WithPayload(new byte[24]);
        return c.Transport switch
        {
            "tcp" => builder.Tcp(4242, port, TcpFlagBits.Syn).Build(),
            "udp" => builder.Udp(4242, port).Build(),
            "sctp" => builder.Sctp(4242, port).Build(),
            _ => builder.Icmp((byte)port, 0, 4242, 1).Build(),
        };
    }

    private static byte[] Later(TrafficCase c, uint id, ushort offsetUnits, bool more) =>
        PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).WithFragmentId(id).AsFragment(offsetUnits, more).Raw(c.Protocol, new byte[32]).Build();
}
