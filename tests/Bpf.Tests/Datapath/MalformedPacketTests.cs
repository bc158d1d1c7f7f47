using System.Buffers.Binary;
using Sluice.Bpf.Abi;
using Sluice.Bpf.Tests.Support;
using Xunit;
using static Sluice.Bpf.Tests.Support.DatapathFixture;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// Truncated and bogus headers, fragments, extension headers and non-IP frames: each gets a defined verdict
/// and a named drop reason (docs/datapath.md), never a verifier failure or an out-of-bounds read. An endpoint
/// with no policy at all is used, so a drop here is due to parsing, never to policy. A frame whose
/// ethertype is IP but which is shorter than the fixed IP header cannot be tested this way: test-run
/// rejects it with EINVAL before the program runs (net/bpf/test_run.c), so those bounds checks are
/// covered only by the verifier's proof that every access is checked.
/// </summary>
public sealed class MalformedPacketTests
{
    private const DatapathDirection In = DatapathDirection.Ingress;

    public static TheoryData<string, DropReason> Malformed => new()
    {
        { "ipv4-ihl-below-5", DropReason.InvalidPacket },
        { "ipv4-ihl-beyond-packet", DropReason.InvalidPacket },
        { "ipv4-total-length-below-header", DropReason.InvalidPacket },
        { "ipv4-version-6-in-ipv4-frame", DropReason.InvalidPacket },
        { "ipv6-version-4-in-ipv6-frame", DropReason.InvalidPacket },
        { "tcp-truncated", DropReason.CtTruncatedOrInvalidHeader },
        { "tcp-data-offset-below-5", DropReason.CtTruncatedOrInvalidHeader },
        { "udp-truncated", DropReason.CtTruncatedOrInvalidHeader },
        { "sctp-truncated", DropReason.CtTruncatedOrInvalidHeader },
        { "icmp-truncated", DropReason.CtTruncatedOrInvalidHeader },
        { "icmpv6-truncated", DropReason.CtTruncatedOrInvalidHeader },
        { "ipv6-extension-truncated", DropReason.InvalidIpv6ExtensionHeader },
        { "ipv6-extension-chain-too-long", DropReason.InvalidIpv6ExtensionHeader },
        { "ipv4-non-first-fragment-without-first", DropReason.FirstLogicalDatagramFragmentNotFound },
        { "ipv6-non-first-fragment-without-first", DropReason.FirstLogicalDatagramFragmentNotFound },
        { "unsupported-ethertype", DropReason.UnsupportedL3Protocol },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedPacket_IsDroppedWithNamedReason_CountedAndReported(string shape, DropReason reason)
    {
        using var dp = new DatapathFixture();
        dp.AddEndpoint(3, 1000, DefaultDenyDirections.None, PolicyMode.Audit);
        var frame = Build(shape);

        Assert.Equal(TcActShot, dp.ToEndpoint(frame));

        // Audit mode audits policy, not parsing: the drop stands.
        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Dropped, reason));
        Assert.Equal(0ul, dp.Packets(In, FlowVerdict.Audit, reason));
        var record = Assert.Single(dp.DrainEvents());
        Assert.Equal((FlowEventType.Drop, FlowVerdict.Dropped, reason, In), (record.EventType, record.Verdict, record.DropReason, record.Direction));
        Assert.Empty(dp.Conntrack());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void NonFirstFragmentWithoutFirst_RecordCarriesAddressesAndProtocol(int family)
    {
        var c = TrafficCase.Of(family, "udp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.None);

        dp.ToEndpoint(PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).AsFragment(185, more: false).Raw(17, new byte[64]).Build());

        var record = Assert.Single(dp.DrainEvents());
        Assert.Equal((DropReason.FirstLogicalDatagramFragmentNotFound, (byte)17), (record.DropReason, record.Protocol));
        Assert.Equal(c.PeerAddress, record.SourceAddress);
        Assert.Equal(TrafficCase.PeerIdentity, record.SourceIdentity);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void FirstFragment_HasTransportHeader_IsPolicedByPort(int family)
    {
        var c = TrafficCase.Of(family, "udp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, 17, 53, 53, 1);

        var allowed = PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).AsFragment(0, more: true).WithPayload(new byte[32]).Udp(1000, 53).Build();
        var denied = PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).AsFragment(0, more: true).WithPayload(new byte[32]).Udp(1000, 54).Build();

        Assert.Equal(TcActOk, dp.ToEndpoint(allowed));
        Assert.Equal(TcActShot, dp.ToEndpoint(denied));
        Assert.Equal(1ul, dp.Packets(In, FlowVerdict.Dropped, DropReason.PolicyDenied));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void HeaderOptions_AreSkipped_PortPolicyStillApplies(int family)
    {
        var c = TrafficCase.Of(family, "tcp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);
        dp.PutPortRange(TrafficCase.EndpointId, In, TrafficCase.PeerIdentity, 6, 443, 443, 1);

        PacketBuilder WithOptions() => family == 4
            ? PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).WithIpv4Options(0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00) // router alert, NOPs
            : PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).WithIpv6Extension(0, 1).WithIpv6Extension(60).WithIpv6Extension(43).AsFragment(0, more: false);

        Assert.Equal(TcActOk, dp.ToEndpoint(WithOptions().Tcp(1234, 443, TcpFlagBits.Syn).Build()));
        Assert.Equal(TcActShot, dp.ToEndpoint(WithOptions().Tcp(1235, 444, TcpFlagBits.Syn).Build()));

        var records = dp.DrainEvents();
        Assert.Equal((FlowVerdict.Forwarded, (ushort)443, PolicyMatchType.L3L4), (records[0].Verdict, records[0].DestinationPort, records[0].MatchType));
        Assert.Equal((FlowVerdict.Dropped, (ushort)444, DropReason.PolicyDenied), (records[1].Verdict, records[1].DestinationPort, records[1].DropReason));
    }

    [Fact]
    public void Arp_PassesWithoutPolicyOrEvent_EvenUnderDefaultDeny()
    {
        using var dp = new DatapathFixture();
        dp.AddEndpoint(3, 1000, DefaultDenyDirections.Ingress | DefaultDenyDirections.Egress);

        Assert.Equal(TcActOk, dp.ToEndpoint(PacketBuilder.EthernetFrame(0x0806)));
        Assert.Equal(TcActOk, dp.FromEndpoint(PacketBuilder.EthernetFrame(0x0806)));

        Assert.Empty(dp.DrainEvents());
        Assert.Equal(2ul, dp.Debug(DebugCounter.PassL2));
    }

    [Theory]
    [InlineData(133)]
    [InlineData(135)]
    [InlineData(136)]
    public void Ipv6NeighbourDiscovery_PassesWithoutPolicy_EvenUnderDefaultDeny(byte type)
    {
        var c = TrafficCase.Of(6, "icmp");
        using var dp = new DatapathFixture();
        c.Describe(dp, DefaultDenyDirections.Ingress);

        Assert.Equal(TcActOk, dp.ToEndpoint(PacketBuilder.Ip(c.PeerAddress, c.EndpointAddress).Icmp(type).Build()));

        Assert.Empty(dp.DrainEvents());
        Assert.Equal(1ul, dp.Debug(DebugCounter.PassNeighbourDiscovery));
    }

    [Fact]
    public void InterfaceWithoutEndpoint_PassesUntouched()
    {
        var c = TrafficCase.Of(4, "tcp");
        using var dp = new DatapathFixture();

        Assert.Equal(TcActOk, dp.ToEndpoint(c.Inbound(c.PeerAddress, 80, 1)));
        Assert.Equal(TcActOk, dp.ToEndpoint(Build("ipv4-ihl-below-5")));

        Assert.Empty(dp.DrainEvents());
        Assert.Equal(2ul, dp.Debug(DebugCounter.NoEndpoint));
        Assert.Equal(0ul, dp.Packets(In, FlowVerdict.Forwarded));
    }

    [Fact]
    public void RandomGarbage_NeverCrashes_EveryProcessedPacketCountedExactlyOnce()
    {
        using var dp = new DatapathFixture(ringBytes: 1 << 20);
        dp.AddEndpoint(3, 1000, DefaultDenyDirections.None);
        var random = new Random(2024);
        var valid = TrafficCase.Of(6, "tcp").Inbound(System.Net.IPAddress.Parse("fd00:1::5"), 80, 1);
        const int Runs = 2000;
        var accepted = 0;

        for (var i = 0; i < Runs; i++)
        {
            // Mutations of a valid frame reach deep parse paths; pure noise exercises the early checks.
            var frame = i % 2 == 0 ? (byte[])valid.Clone() : new byte[random.Next(14, 200)];
            if (i % 2 == 0)
            {
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    frame[random.Next(14, frame.Length)] = (byte)random.Next(256);
                }

                frame = frame[..random.Next(14, frame.Length + 1)];
            }
            else
            {
                random.NextBytes(frame);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), random.Next(3) switch { 0 => 0x0800, 1 => 0x86dd, _ => (ushort)random.Next(65536) });
            }

            uint verdict;
            try
            {
                verdict = dp.ToEndpoint(frame);
            }
            catch (BpfException e) when (e.Errno == 22)
            {
                continue; // test-run refuses IP frames shorter than the IP header; the program never ran
            }

            accepted++;
            Assert.True(verdict is TcActOk or TcActShot, $"unexpected tc verdict {verdict}");
        }

        Assert.True(accepted > Runs / 2, $"only {accepted} of {Runs} frames reached the program");

        ulong total = 0;
        foreach (var verdict in new[] { FlowVerdict.Forwarded, FlowVerdict.Dropped, FlowVerdict.Audit })
        {
            for (var reason = 0; reason < 256; reason++)
            {
                total += dp.Packets(In, verdict, (DropReason)reason);
            }
        }

        Assert.Equal((ulong)accepted, total);
    }

    private static byte[] Build(string shape)
    {
        var v4 = PacketBuilder.Ip("10.0.1.5", "10.0.0.2");
        var v6 = PacketBuilder.Ip("fd00:1::5", "fd00::2");
        byte[] frame;
        switch (shape)
        {
            case "ipv4-ihl-below-5":
                frame = v4.Tcp(1, 80, TcpFlagBits.Syn).Build();
                frame[14] = 0x44;
                return frame;
            case "ipv4-ihl-beyond-packet":
                frame = v4.Raw(253, 1, 2, 3, 4).Build();
                frame[14] = 0x4f; // 60-byte header in a 24-byte packet
                return frame;
            case "ipv4-total-length-below-header":
                frame = v4.Tcp(1, 80, TcpFlagBits.Syn).Build();
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 12);
                return frame;
            case "ipv4-version-6-in-ipv4-frame":
                frame = v4.Tcp(1, 80, TcpFlagBits.Syn).Build();
                frame[14] = 0x65;
                return frame;
            case "ipv6-version-4-in-ipv6-frame":
                frame = v6.Tcp(1, 80, TcpFlagBits.Syn).Build();
                frame[14] = 0x40;
                return frame;
            case "tcp-truncated":
                return v4.Tcp(1, 80, TcpFlagBits.Syn).Build()[..(14 + 20 + 19)];
            case "tcp-data-offset-below-5":
                frame = v6.Tcp(1, 80, TcpFlagBits.Syn).Build();
                frame[14 + 40 + 12] = 0x40;
                return frame;
            case "udp-truncated":
                return v6.Udp(1, 53).Build()[..(14 + 40 + 7)];
            case "sctp-truncated":
                return v4.Sctp(1, 9).Build()[..(14 + 20 + 11)];
            case "icmp-truncated":
                return v4.Icmp(8).Build()[..(14 + 20 + 7)];
            case "icmpv6-truncated":
                return v6.Icmp(128).Build()[..(14 + 40 + 7)];
            case "ipv6-extension-truncated":
                // Hop-by-hop header claiming 16 bytes, packet ends after 8.
                return v6.WithIpv6Extension(0, 1).Raw(59).Build()[..(14 + 40 + 8)];
            case "ipv6-extension-chain-too-long":
                return v6.WithIpv6Extension(0).WithIpv6Extension(60).WithIpv6Extension(43).WithIpv6Extension(60).WithIpv6Extension(60)
                    .Tcp(1, 80, TcpFlagBits.Syn).Build();
            case "ipv4-non-first-fragment-without-first":
                return v4.AsFragment(100, more: true).Raw(6, new byte[40]).Build();
            case "ipv6-non-first-fragment-without-first":
                return v6.AsFragment(100, more: false).Raw(17, new byte[40]).Build();
            case "unsupported-ethertype":
                return PacketBuilder.EthernetFrame(0x88cc, 46); // LLDP
            default:
                throw new ArgumentException($"unknown shape {shape}", nameof(shape));
        }
    }
}
