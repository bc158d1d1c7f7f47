using Sluice.Bpf.Abi;
using Sluice.Bpf.Tests.Support;
using Xunit;
using static Sluice.Bpf.Tests.Support.DatapathFixture;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// Conntrack through BPF_PROG_TEST_RUN: replies and related ICMP errors skip policy; established flows keep
/// their cached verdict until the endpoint's policy revision changes, then are re-checked; TCP FIN/RST and
/// idle timeouts end flows.
/// </summary>
public sealed class ConntrackTests
{
    private const DatapathDirection In = DatapathDirection.Ingress;
    private const DatapathDirection Out = DatapathDirection.Egress;

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void Reply_ToAllowedOutboundFlow_PassesDespiteIngressDefaultDeny(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress | DefaultDenyDirections.Egress);
        dp.PutPortRange(TrafficCase.EndpointId, Out, TrafficCase.PeerIdentity, c.Protocol, c.ServicePort, c.ServicePort, 7);

        Assert.Equal(TcActOk, dp.FromEndpoint(c.Outbound(c.PeerAddress, c.ServicePort, 4000)));
        Assert.Equal(TcActOk, dp.ToEndpoint(c.ReplyToOutbound(c.PeerAddress, c.ServicePort, 4000)));
        // The same peer may not initiate towards the endpoint: no ingress allow.
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 4001)));

        Assert.Equal(1ul, dp.Packets(Out, FlowVerdict.Forwarded));
        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Forwarded));
        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal(FlowEventType.FlowNew, records[0].EventType);
        var flow = dp.Conntrack().Single(e => e.Key.Direction == Out);
        Assert.Equal((ConntrackState.Established, 1ul, 1ul), (flow.Value.State, flow.Value.PacketsForward, flow.Value.PacketsReverse));
        if (transport == "tcp")
        {
            // The SYN-ACK is a flag change of the reply direction: reported, as a reply of the egress flow.
            Assert.Equal(3, records.Count);
            Assert.Equal((FlowEventType.TcpFlags, 1, Out, FlowVerdict.Forwarded), (records[1].EventType, records[1].IsReply, records[1].Direction, records[1].Verdict));
            Assert.Equal(TcpFlagBits.Syn | TcpFlagBits.Ack, records[1].TcpFlags);
            Assert.Equal(c.PeerAddress, records[1].SourceAddress);
        }
        else
        {
            Assert.Equal(2, records.Count); // replies without flag changes are counted, not reported
        }

        Assert.Equal((FlowEventType.Drop, DropReason.PolicyDenied), (records[^1].EventType, records[^1].DropReason));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void Established_KeepsCachedVerdict_UntilRevisionChanges_ThenRecheckDropsRemovedAllow(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var keys = dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, c.Protocol, c.ServicePort, c.ServicePort, 8);
        var first = c.Inbound(c.PeerAddress, c.ServicePort, 5000);
        var next = c.Inbound(c.PeerAddress, c.ServicePort, 5000, TcpFlagBits.Ack);

        Assert.Equal(TcActOk, dp.ToEndpoint(first));
        Assert.Equal(TcActOk, dp.ToEndpoint(next));

        // The allow is gone but the revision is unchanged: the fast path does not look at policy.
        dp.Remove(keys.Single());
        Assert.Equal(TcActOk, dp.ToEndpoint(next));
        Assert.Equal(0ul, dp.Debug(DebugCounter.Recheck));

        // A new revision: the next initiating-direction packet re-runs the lookup and is dropped.
        dp.UpdateEndpoint(e => e with { PolicyRevision = 2 });
        Assert.Equal(TcActShot, dp.ToEndpoint(next));
        Assert.Equal(TcActShot, dp.ToEndpoint(next));
        Assert.Equal(1ul, dp.Debug(DebugCounter.Recheck));

        Assert.Equal(3ul, dp.Packets(In, FlowVerdict.Forwarded));
        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal(2, records.Count); // new flow, then one drop event (the second drop is rate-limited)
        Assert.Equal(FlowEventType.FlowNew, records[0].EventType);
        Assert.Equal((FlowEventType.Drop, DropReason.PolicyDenied, 2u), (records[1].EventType, records[1].DropReason, records[1].PolicyRevision));
        Assert.Equal(4ul, records[1].PacketsForward);
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void Recheck_AllowAddedUnderNewRevision_ForwardsPreviouslyDroppedFlow(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var packet = c.Inbound(c.PeerAddress, c.ServicePort, 5100);

        Assert.Equal(TcActShot, dp.ToEndpoint(packet));
        dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, c.Protocol, c.ServicePort, c.ServicePort, 9);
        dp.UpdateEndpoint(e => e with { PolicyRevision = 2 });
        Assert.Equal(TcActOk, dp.ToEndpoint(packet));

        var records = dp.DrainEvents();
        Assert.Equal(2, records.Count);
        Assert.Equal(FlowEventType.Drop, records[0].EventType);
        Assert.Equal((FlowEventType.PolicyChange, FlowVerdict.Forwarded, 9u, PolicyMatchType.L3L4), (records[1].EventType, records[1].Verdict, records[1].PolicyRef, records[1].MatchType));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void RevokedFlow_RepliesStillPass_FlowDeniedFromStartHasNoReplies(int family)
    {
        var c = TrafficCase.Of(family, "tcp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress | DefaultDenyDirections.Egress);
        var keys = dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, 6, 443, 443, 3);
        var request = c.Inbound(c.PeerAddress, 443, 5200, TcpFlagBits.Ack);
        var reply = c.Packet(c.EndpointAddress, c.PeerAddress, 443, 5200, TcpFlagBits.Ack);

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, 443, 5200)));
        Assert.Equal(TcActOk, dp.FromEndpoint(reply));
        dp.Remove(keys.Single());
        dp.UpdateEndpoint(e => e with { PolicyRevision = 2 });
        Assert.Equal(TcActShot, dp.ToEndpoint(request));
        // The server's side of the revoked connection is still a reply, not a new egress flow.
        Assert.Equal(TcActOk, dp.FromEndpoint(reply));

        // A flow denied from its first packet never had replies: the reverse packet is a new egress flow,
        // and egress is in default-deny.
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.PeerAddress, 444, 5201)));
        Assert.Equal(TcActShot, dp.FromEndpoint(c.Packet(c.EndpointAddress, c.PeerAddress, 444, 5201, TcpFlagBits.Syn | TcpFlagBits.Ack)));

        Assert.Equal(2ul, dp.Packets(Out, FlowVerdict.Forwarded));
        Assert.Equal(1ul, dp.Packets(Out, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal(
            [(FlowEventType.FlowNew, In), (FlowEventType.Drop, In), (FlowEventType.Drop, In), (FlowEventType.Drop, Out)],
            records.Select(r => (r.EventType, r.Direction)).ToArray());
        var revoked = dp.Conntrack().Single(e => NetworkOrder.FromBigEndian(e.Key.RemotePortBigEndian) == 5200);
        Assert.Equal((FlowVerdict.Dropped, 2ul), (revoked.Value.Verdict, revoked.Value.PacketsReverse));
    }

    [Theory]
    [InlineData(4, "udp")]
    [InlineData(4, "tcp")]
    [InlineData(6, "udp")]
    [InlineData(6, "tcp")]
    public void IcmpError_QuotingAllowedFlow_IsRelatedAndPasses(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var outbound = c.Outbound(c.PeerAddress, 53, 6000);
        Assert.Equal(TcActOk, dp.FromEndpoint(outbound));

        // Destination unreachable / port unreachable from the peer, quoting the endpoint's packet.
        var quoted = outbound[14..];
        var error = family == 4
            ? PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).IcmpError(3, 3, quoted).Build()
            : PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).IcmpError(1, 4, quoted).Build();
        Assert.Equal(TcActOk, dp.ToEndpoint(error));
        Assert.Equal(1ul, dp.Debug(DebugCounter.Related));

        // The same error quoting a flow that does not exist goes through policy: dropped.
        var unrelated = c.Outbound(c.PeerAddress, 53, 6001)[14..];
        var stray = family == 4
            ? PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).IcmpError(3, 3, unrelated).Build()
            : PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).IcmpError(1, 4, unrelated).Build();
        Assert.Equal(TcActShot, dp.ToEndpoint(stray));

        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Forwarded));
        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal(2, records.Count); // the related error is counted, not reported
        Assert.Equal((FlowEventType.Drop, family == 4 ? (byte)1 : (byte)58), (records[1].EventType, records[1].Protocol));
    }

    [Theory]
    [InlineData(4, TcpFlagBits.Fin | TcpFlagBits.Ack)]
    [InlineData(4, TcpFlagBits.Rst)]
    [InlineData(6, TcpFlagBits.Fin | TcpFlagBits.Ack)]
    [InlineData(6, TcpFlagBits.Rst)]
    public void TcpFinOrRst_ClosesFlow_NewSynStartsNewFlow(int family, byte closingFlags)
    {
        var c = TrafficCase.Of(family, "tcp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.None);

        dp.FromEndpoint(c.Outbound(c.PeerAddress, 80, 7000));
        dp.ToEndpoint(c.ReplyToOutbound(c.PeerAddress, 80, 7000));
        dp.FromEndpoint(c.Outbound(c.PeerAddress, 80, 7000, TcpFlagBits.Ack));
        dp.FromEndpoint(c.Outbound(c.PeerAddress, 80, 7000, closingFlags));
        var closing = dp.Conntrack().Single();
        Assert.Equal(ConntrackState.Closing, closing.Value.State);
        dp.FromEndpoint(c.Outbound(c.PeerAddress, 80, 7000, TcpFlagBits.Syn));

        var records = dp.DrainEvents();
        Assert.Equal(
            [FlowEventType.FlowNew, FlowEventType.TcpFlags, FlowEventType.TcpFlags, FlowEventType.FlowNew],
            records.Select(r => r.EventType).ToArray());
        Assert.Equal(closingFlags, records[2].TcpFlags);
        Assert.Equal((ConntrackState.Closing, 0), (records[2].ConntrackState, records[2].IsReply));
        Assert.Equal((ConntrackState.New, 1ul), (records[3].ConntrackState, records[3].PacketsForward));
        Assert.Equal(1ul, dp.Debug(DebugCounter.ConntrackExpired));
    }

    [Theory]
    [InlineData(4, "udp")]
    [InlineData(4, "icmp")]
    [InlineData(6, "sctp")]
    [InlineData(6, "icmp")]
    public void IdleTimeout_ExpiredFlow_IsNewAgain(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        var config = DatapathConfig.Default;
        // Generous against a loaded CI machine: the first two packets must fall within the timeout.
        config.UdpIdleNs = 300_000_000; // 300 ms
        config.IcmpIdleNs = 300_000_000;
        using var dp = new DatapathFixture(config);
        c.Describe(dp, DefaultDenyDirections.None);
        var packet = c.Outbound(c.PeerAddress, c.ServicePort, 7100);

        dp.FromEndpoint(packet);
        dp.FromEndpoint(packet); // within the timeout: same flow, no event
        Thread.Sleep(450);
        dp.FromEndpoint(packet);

        var records = dp.DrainEvents();
        Assert.Equal([FlowEventType.FlowNew, FlowEventType.FlowNew], records.Select(r => r.EventType).ToArray());
        Assert.Equal(1ul, records[1].PacketsForward);
        Assert.True(records[1].FlowStartNs - records[0].FlowStartNs >= 400_000_000ul);
        Assert.Equal(1ul, dp.Debug(DebugCounter.ConntrackExpired));
    }

    [Fact]
    public void ConntrackKey_IsPerEndpointAndOrientedToIt()
    {
        var c = TrafficCase.Of(4, "tcp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.None);

        dp.ToEndpoint(c.Inbound(c.PeerAddress, 443, 7200));

        var (key, value) = dp.Conntrack().Single();
        Assert.Equal(c.EndpointAddress, key.LocalAddress.ToAddress(4));
        Assert.Equal(c.PeerAddress, key.RemoteAddress.ToAddress(4));
        Assert.Equal((ushort)443, NetworkOrder.FromBigEndian(key.LocalPortBigEndian));
        Assert.Equal((ushort)7200, NetworkOrder.FromBigEndian(key.RemotePortBigEndian));
        Assert.Equal((TrafficCase.EndpointId, In, (byte)6), (key.EndpointId, key.Direction, key.Protocol));
        Assert.Equal((TrafficCase.PeerIdentity, FlowVerdict.Forwarded, 1u), (value.RemoteIdentity, value.Verdict, value.PolicyRevision));
    }
}
