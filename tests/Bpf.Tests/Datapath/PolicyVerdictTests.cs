using Sluice.Bpf.Abi;
using Sluice.Bpf.Tests.Support;
using Xunit;
using static Sluice.Bpf.Tests.Support.DatapathFixture;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// BPF_PROG_TEST_RUN of the tc programs with crafted packets, IPv4 and IPv6 × TCP/UDP/SCTP/ICMP: each step
/// of the policy lookup order (bpf/include/policy.h), deny precedence, default-deny, audit mode. Every test
/// asserts the tc verdict, the per-CPU counters and the flow record.
/// </summary>
public sealed class PolicyVerdictTests
{
    private const DatapathDirection In = DatapathDirection.Ingress;

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void NoPolicy_WithoutDefaultDeny_ForwardsAndReportsNewFlow(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.None);
        var frame = c.Inbound(c.PeerAddress, c.ServicePort, flow: 1111);

        Assert.Equal(TcActOk, dp.ToEndpoint(frame));

        var counter = dp.Counter(In, FlowVerdict.Forwarded);
        Assert.Equal(1ul, counter.Packets);
        Assert.Equal((ulong)frame.Length, counter.Bytes);
        var record = Assert.Single(dp.DrainEvents());
        Assert.Equal(FlowRecord.CurrentVersion, record.Version);
        Assert.Equal(FlowEventType.FlowNew, record.EventType);
        Assert.Equal(FlowVerdict.Forwarded, record.Verdict);
        Assert.Equal(DropReason.None, record.DropReason);
        Assert.Equal(In, record.Direction);
        Assert.Equal((byte)family, record.Family);
        Assert.Equal(c.Protocol, record.Protocol);
        Assert.Equal(c.PeerAddress, record.SourceAddress);
        Assert.Equal(c.EndpointAddress, record.DestinationAddress);
        Assert.Equal(TrafficCase.PeerIdentity, record.SourceIdentity);
        Assert.Equal(TrafficCase.EndpointIdentity, record.DestinationIdentity);
        Assert.Equal((uint)TrafficCase.EndpointId, record.EndpointId);
        Assert.Equal((uint)LoopbackIfindex, record.IfIndex);
        Assert.Equal(PolicyMatchType.None, record.MatchType);
        Assert.Equal(0, record.IsReply);
        Assert.Equal(1ul, record.PacketsForward);
        Assert.Equal((ulong)frame.Length, record.BytesForward);
        Assert.True(record.TimestampNs > 0 && record.FlowStartNs == record.TimestampNs);
        if (c.IsIcmp)
        {
            Assert.Equal((byte)c.ServicePort, record.IcmpType);
        }
        else
        {
            Assert.Equal((ushort)1111, record.SourcePort);
            Assert.Equal(c.ServicePort, record.DestinationPort);
        }

        if (transport == "tcp")
        {
            Assert.Equal(TcpFlagBits.Syn, record.TcpFlags);
        }
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void DefaultDeny_NoAllowEntry_DropsWithPolicyDenied(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);

        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1111)));
        // The other direction is not in default-deny: the endpoint may still initiate.
        Assert.Equal(TcActOk, dp.FromEndpoint(c.Outbound(c.PeerAddress, c.ServicePort, 2222)));

        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        Assert.Equal(1ul, dp.Packets(DatapathDirection.Egress, FlowVerdict.Forwarded));
        var records = dp.DrainEvents();
        Assert.Equal(2, records.Count);
        Assert.Equal((FlowEventType.Drop, FlowVerdict.Dropped, DropReason.PolicyDenied, In), (records[0].EventType, records[0].Verdict, records[0].DropReason, records[0].Direction));
        Assert.Equal(0u, records[0].PolicyRef);
        Assert.Equal((FlowEventType.FlowNew, FlowVerdict.Forwarded, DatapathDirection.Egress), (records[1].EventType, records[1].Verdict, records[1].Direction));
        Assert.Equal(TrafficCase.EndpointIdentity, records[1].SourceIdentity);
        Assert.Equal(TrafficCase.PeerIdentity, records[1].DestinationIdentity);
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void AllowByIdentity_ForwardsThatIdentityOnly_MatchL3Only(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var key = PolicyKey.ForIdentity(TrafficCase.EndpointId, 0, In, TrafficCase.PeerIdentity);
        dp.Put(key, PolicyValue.Allow(key, TrafficCase.PolicyRef));

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));
        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, 9, 2)));
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.OtherPeerAddress, c.ServicePort, 3)));
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.WorldAddress, c.ServicePort, 4)));

        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Forwarded));
        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal(4, records.Count);
        Assert.All(records.Take(2), r => Assert.Equal((FlowVerdict.Forwarded, PolicyMatchType.L3Only, TrafficCase.PolicyRef), (r.Verdict, r.MatchType, r.PolicyRef)));
        Assert.Equal(TrafficCase.OtherPeerIdentity, records[2].SourceIdentity);
        Assert.Equal(2u, records[3].SourceIdentity); // WORLD: no ipcache entry
        Assert.All(records.Skip(2), r => Assert.Equal(DropReason.PolicyDenied, r.DropReason));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void AllowByIdentityAndProtocol_ForwardsAnyPortOfThatProtocol_MatchL3Proto(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var key = PolicyKey.ForProtocol(TrafficCase.EndpointId, 0, In, TrafficCase.PeerIdentity, c.Protocol);
        dp.Put(key, PolicyValue.Allow(key, TrafficCase.PolicyRef));
        var otherProtocol = new TrafficCase(family, c.OtherProtocol == 6 ? "tcp" : "udp");

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));
        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, 13, 2)));
        Assert.Equal(TcActShot, dp.ToEndpoint(otherProtocol.Inbound(c.PeerAddress, c.ServicePort, 3)));

        var records = dp.DrainEvents();
        Assert.Equal(3, records.Count);
        Assert.All(records.Take(2), r => Assert.Equal(PolicyMatchType.L3Proto, r.MatchType));
        Assert.Equal((FlowVerdict.Dropped, c.OtherProtocol), (records[2].Verdict, records[2].Protocol));
        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Forwarded));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void AllowByPort_ForwardsThatPortOnly_MatchL3L4(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, c.Protocol, c.ServicePort, c.ServicePort, TrafficCase.PolicyRef);

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.PeerAddress, (ushort)(c.ServicePort + 1), 2)));
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.OtherPeerAddress, c.ServicePort, 3)));

        var records = dp.DrainEvents();
        Assert.Equal((FlowVerdict.Forwarded, PolicyMatchType.L3L4, TrafficCase.PolicyRef), (records[0].Verdict, records[0].MatchType, records[0].PolicyRef));
        Assert.Equal(c.ReportedPort(c.ServicePort), records[0].DestinationPort);
        Assert.All(records.Skip(1), r => Assert.Equal((FlowVerdict.Dropped, DropReason.PolicyDenied), (r.Verdict, r.DropReason)));
        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void AllowByPortRange_ForwardsInsideRangeOnly(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var first = (ushort)(c.ServicePort - 5);
        var last = (ushort)(c.ServicePort + 3);
        var keys = dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, c.Protocol, first, last, TrafficCase.PolicyRef);
        Assert.True(keys.Count > 1); // a real multi-prefix range, not one entry

        ushort flow = 100;
        foreach (var port in new[] { first, c.ServicePort, last })
        {
            Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, port, flow++)));
        }

        foreach (var port in new[] { (ushort)(first - 1), (ushort)(last + 1) })
        {
            Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.PeerAddress, port, flow++)));
        }

        Assert.Equal(3ul, dp.Packets(In, FlowVerdict.Forwarded));
        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal(5, records.Count);
        Assert.All(records.Take(3), r => Assert.Equal(PolicyMatchType.L3L4, r.MatchType));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void Wildcards_AnyIdentityEntries_MatchL4OnlyProtoOnlyAll(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var any = PolicyKey.AnyIdentity;

        // Step 4: any identity + protocol + port.
        dp.PutPortRange(TrafficCase.EndpointId, In, any, c.Protocol, c.ServicePort, c.ServicePort, 4);
        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.WorldAddress, c.ServicePort, 1)));
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.WorldAddress, 21, 2)));

        // Step 5: any identity + protocol, any port.
        var proto = PolicyKey.ForProtocol(TrafficCase.EndpointId, 0, In, any, c.Protocol);
        dp.Put(proto, PolicyValue.Allow(proto, 5));
        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.OtherPeerAddress, 21, 3)));

        // Step 6: any identity, any protocol.
        var otherProtocol = new TrafficCase(family, c.OtherProtocol == 6 ? "tcp" : "udp");
        Assert.Equal(TcActShot, dp.ToEndpoint(otherProtocol.Inbound(c.OtherPeerAddress, 22, 4)));
        var all = PolicyKey.ForIdentity(TrafficCase.EndpointId, 0, In, any);
        dp.Put(all, PolicyValue.Allow(all, 6));
        Assert.Equal(TcActOk, dp.ToEndpoint(otherProtocol.Inbound(c.OtherPeerAddress, 22, 5)));

        var records = dp.DrainEvents();
        Assert.Equal(5, records.Count);
        Assert.Equal((PolicyMatchType.L4Only, 4u), (records[0].MatchType, records[0].PolicyRef));
        Assert.Equal(DropReason.PolicyDenied, records[1].DropReason);
        Assert.Equal((PolicyMatchType.ProtoOnly, 5u), (records[2].MatchType, records[2].PolicyRef));
        Assert.Equal(DropReason.PolicyDenied, records[3].DropReason);
        Assert.Equal((PolicyMatchType.All, 6u), (records[4].MatchType, records[4].PolicyRef));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void IdentitySpecificAllow_IsPreferredOverAnyIdentityAllow(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var specific = PolicyKey.ForIdentity(TrafficCase.EndpointId, 0, In, TrafficCase.PeerIdentity);
        dp.Put(specific, PolicyValue.Allow(specific, 1));
        dp.PutPortRange(TrafficCase.EndpointId, In, PolicyKey.AnyIdentity, c.Protocol, c.ServicePort, c.ServicePort, 2);

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));

        var record = Assert.Single(dp.DrainEvents());
        Assert.Equal((PolicyMatchType.L3Only, 1u), (record.MatchType, record.PolicyRef));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void DenyPrecedence_DenyInEitherLookupBeatsAllowInTheOther(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.None);

        // Identity-specific port allow vs any-identity protocol deny: the deny wins.
        dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, c.Protocol, c.ServicePort, c.ServicePort, 10);
        var anyDeny = PolicyKey.ForProtocol(TrafficCase.EndpointId, 0, In, PolicyKey.AnyIdentity, c.Protocol);
        dp.Put(anyDeny, PolicyValue.DenyFor(anyDeny, 11));
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));

        // Identity-specific L3 deny vs any-identity port allow: the deny wins.
        var specificDeny = PolicyKey.ForIdentity(TrafficCase.EndpointId, 0, In, TrafficCase.OtherPeerIdentity);
        dp.Put(specificDeny, PolicyValue.DenyFor(specificDeny, 12));
        dp.Remove(anyDeny);
        dp.PutPortRange(TrafficCase.EndpointId, In, PolicyKey.AnyIdentity, c.Protocol, c.ServicePort, c.ServicePort, 13);
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.OtherPeerAddress, c.ServicePort, 2)));
        // Without default-deny, a deny still drops while an unmatched flow passes.
        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.WorldAddress, 33, 3)));

        Assert.Equal(2ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDeny));
        var records = dp.DrainEvents();
        Assert.Equal(3, records.Count);
        Assert.Equal((FlowVerdict.Dropped, DropReason.PolicyDeny, 11u, PolicyMatchType.ProtoOnly), (records[0].Verdict, records[0].DropReason, records[0].PolicyRef, records[0].MatchType));
        Assert.Equal((FlowVerdict.Dropped, DropReason.PolicyDeny, 12u, PolicyMatchType.L3Only), (records[1].Verdict, records[1].DropReason, records[1].PolicyRef, records[1].MatchType));
        Assert.Equal((FlowVerdict.Forwarded, PolicyMatchType.None), (records[2].Verdict, records[2].MatchType));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void AuditMode_ForwardsWouldBeDropsWithVerdictAudit(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress, PolicyMode.Audit);
        var deny = PolicyKey.ForIdentity(TrafficCase.EndpointId, 0, In, TrafficCase.OtherPeerIdentity);
        dp.Put(deny, PolicyValue.DenyFor(deny, 21));

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));
        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.OtherPeerAddress, c.ServicePort, 2)));

        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Audit, DropReason.PolicyDenied));
        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Audit, DropReason.PolicyDeny));
        Assert.Equal(0ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
        var records = dp.DrainEvents();
        Assert.Equal((FlowEventType.FlowNew, FlowVerdict.Audit, DropReason.PolicyDenied), (records[0].EventType, records[0].Verdict, records[0].DropReason));
        Assert.Equal((FlowEventType.FlowNew, FlowVerdict.Audit, DropReason.PolicyDeny, 21u), (records[1].EventType, records[1].Verdict, records[1].DropReason, records[1].PolicyRef));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void AuditOnlyDenyEntry_InEnforceMode_ForwardsWithAuditWhileOthersDrop(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var staged = PolicyKey.ForIdentity(TrafficCase.EndpointId, 0, In, TrafficCase.PeerIdentity);
        dp.Put(staged, PolicyValue.DenyFor(staged, 31, auditOnly: true));

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));
        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.OtherPeerAddress, c.ServicePort, 2)));

        var records = dp.DrainEvents();
        Assert.Equal((FlowVerdict.Audit, DropReason.PolicyDeny, 31u), (records[0].Verdict, records[0].DropReason, records[0].PolicyRef));
        Assert.Equal((FlowVerdict.Dropped, DropReason.PolicyDenied), (records[1].Verdict, records[1].DropReason));
    }

    [Theory]
    [MemberData(nameof(TrafficCase.All), MemberType = typeof(TrafficCase))]
    public void PolicySlot_OnlyActiveSlotIsRead_FlipPublishesNewPolicyAtOnce(int family, string transport)
    {
        var c = TrafficCase.Of(family, transport);
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        var inactive = PolicyKey.ForIdentity(TrafficCase.EndpointId, 1, In, TrafficCase.PeerIdentity);
        dp.Put(inactive, PolicyValue.Allow(inactive, 50));

        Assert.Equal(TcActShot, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 1)));
        dp.UpdateEndpoint(e => e with { ActiveSlot = 1, PolicyRevision = e.PolicyRevision + 1 });
        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, c.ServicePort, 2)));

        var records = dp.DrainEvents();
        Assert.Equal((FlowVerdict.Dropped, 1u), (records[0].Verdict, records[0].PolicyRevision));
        Assert.Equal((FlowVerdict.Forwarded, 50u, 2u), (records[1].Verdict, records[1].PolicyRef, records[1].PolicyRevision));
    }
}
