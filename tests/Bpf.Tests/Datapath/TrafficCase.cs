using System.Net;
using Sluice.Bpf.Abi;
using Sluice.Bpf.Tests.Support;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// One address family × transport combination of the datapath tests, with the addresses, identities and
/// packet shapes they share. For ICMP the policy "port" is the ICMP type (echo request by default).
/// </summary>
public sealed record TrafficCase(int Family, string Transport)
{
    public const ushort EndpointId = 7;
    public const uint EndpointIdentity = 1000;
    public const uint PeerIdentity = 2001;
    public const uint OtherPeerIdentity = 2002;
    public const uint PolicyRef = 42;

    /// <summary>Every family × transport pair the issue asks for.</summary>
    public static TheoryData<int, string> All => new()
    {
        { 4, "tcp" }, { 4, "udp" }, { 4, "sctp" }, { 4, "icmp" },
        { 6, "tcp" }, { 6, "udp" }, { 6, "sctp" }, { 6, "icmp" },
    };

    public IPAddress EndpointAddress => IPAddress.Parse(Family == 4 ? "10.0.0.2" : "fd00::2");

    public IPAddress PeerAddress => IPAddress.Parse(Family == 4 ? "10.0.1.5" : "fd00:1::5");

    public IPAddress OtherPeerAddress => IPAddress.Parse(Family == 4 ? "10.0.1.6" : "fd00:1::6");

    /// <summary>An address no ipcache entry covers: identity WORLD.</summary>
    public IPAddress WorldAddress => IPAddress.Parse(Family == 4 ? "192.0.2.1" : "2001:db8::1");

    public bool IsIcmp => Transport == "icmp";

    public byte Protocol => Transport switch
    {
        "tcp" => 6,
        "udp" => 17,
        "sctp" => 132,
        _ => Family == 4 ? (byte)1 : (byte)58,
    };

    /// <summary>A protocol number different from <see cref="Protocol"/> that also has ports.</summary>
    public byte OtherProtocol => Transport == "udp" ? (byte)6 : (byte)17;

    /// <summary>The allowed service: port 8080, or the echo-request type for ICMP.</summary>
    public ushort ServicePort => IsIcmp ? (Family == 4 ? (ushort)8 : (ushort)128) : (ushort)8080;

    /// <summary>The echo-reply type matching <see cref="ServicePort"/> for ICMP.</summary>
    public byte EchoReplyType => Family == 4 ? (byte)0 : (byte)129;

    public static TrafficCase Of(int family, string transport) => new(family, transport);

    /// <summary>Writes the endpoint (on loopback) and the peers' identities into the fixture.</summary>
    public void Describe(DatapathFixture fixture, DefaultDenyDirections defaultDeny, PolicyMode mode = PolicyMode.Enforce)
    {
        fixture.AddEndpoint(EndpointId, EndpointIdentity, defaultDeny, mode);
        fixture.SetIdentity(EndpointAddress.ToString(), EndpointIdentity);
        fixture.SetIdentity(PeerAddress.ToString(), PeerIdentity);
        fixture.SetIdentity(OtherPeerAddress.ToString(), OtherPeerIdentity);
    }

    /// <summary>
    /// The initiating packet of a new flow from <paramref name="peer"/> to the endpoint's <paramref name="port"/>
    /// (for ICMP: a message of type <paramref name="port"/>). <paramref name="flow"/> makes the flow unique
    /// (source port or echo identifier).
    /// </summary>
    public byte[] Inbound(IPAddress peer, ushort port, ushort flow, byte tcpFlags = TcpFlagBits.Syn) =>
        Packet(peer, EndpointAddress, flow, port, tcpFlags);

    /// <summary>The initiating packet of a new flow from the endpoint to <paramref name="peer"/>.</summary>
    public byte[] Outbound(IPAddress peer, ushort port, ushort flow, byte tcpFlags = TcpFlagBits.Syn) =>
        Packet(EndpointAddress, peer, flow, port, tcpFlags);

    /// <summary>The reply to <see cref="Outbound"/>: from the peer back to the endpoint.</summary>
    public byte[] ReplyToOutbound(IPAddress peer, ushort port, ushort flow, byte tcpFlags = TcpFlagBits.Syn | TcpFlagBits.Ack) =>
        IsIcmp
            ? PacketBuilder.Ip(peer, EndpointAddress).Icmp(EchoReplyType, 0, flow, 1).Build()
            : Packet(peer, EndpointAddress, port, flow, tcpFlags);

    public byte[] Packet(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, byte tcpFlags = TcpFlagBits.Syn)
    {
        var builder = PacketBuilder.Ip(source, destination);
        return Transport switch
        {
            "tcp" => builder.Tcp(sourcePort, destinationPort, tcpFlags).Build(),
            "udp" => builder.WithPayload([1, 2, 3, 4]).Udp(sourcePort, destinationPort).Build(),
            "sctp" => builder.Sctp(sourcePort, destinationPort).Build(),
            // For ICMP the "destination port" is the type; the "source port" is the echo identifier.
            _ => builder.Icmp((byte)destinationPort, 0, sourcePort, 1).Build(),
        };
    }

    /// <summary>The record's destination port as the datapath reports it (0 for ICMP, which reports the type).</summary>
    public ushort ReportedPort(ushort port) => IsIcmp ? (ushort)0 : port;

    public override string ToString() => $"IPv{Family}/{Transport}";
}
