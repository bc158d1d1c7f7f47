using System.Net;
using System.Net.Sockets;
using Sluice.Bpf.Abi;
using Sluice.Bpf.Tests.Support;
using Xunit;

namespace Sluice.Bpf.Tests.Datapath;

/// <summary>
/// Real traffic through the attached programs: two endpoint namespaces joined by veth pairs to a "router"
/// namespace standing in for the host (forwarding is enabled there only; the root namespace is untouched).
/// TCP connects (allowed and denied), UDP and ping run between real sockets, and the flow records read
/// from the ring buffer must match what happened, in order, with nothing lost.
/// </summary>
public sealed class RealTrafficTests : IDisposable
{
    private const ushort EndpointA = 11;
    private const ushort EndpointB = 12;
    private const uint IdentityA = 3001;
    private const uint IdentityB = 3002;
    private const uint AllowRef = 77;
    private const ushort AllowedTcpPort = 8080;
    private const ushort DeniedTcpPort = 9090;
    private const ushort AllowedUdpPort = 5353;

    private static readonly IPAddress A4 = IPAddress.Parse("10.201.1.2");
    private static readonly IPAddress B4 = IPAddress.Parse("10.201.2.2");
    private static readonly IPAddress A6 = IPAddress.Parse("fd00:201:1::2");
    private static readonly IPAddress B6 = IPAddress.Parse("fd00:201:2::2");

    private readonly List<IDisposable> cleanup = [];
    private readonly NetworkNamespace router;
    private readonly NetworkNamespace a;
    private readonly NetworkNamespace b;
    private readonly DatapathFixture dp;
    private readonly int hostA;
    private readonly int hostB;

    public RealTrafficTests()
    {
        try
        {
            router = Track(NetworkNamespace.Create("slcr"));
            a = Track(NetworkNamespace.Create("slca"));
            b = Track(NetworkNamespace.Create("slcb"));
            foreach (var ns in new[] { router, a, b })
            {
                // Link-local addresses skip duplicate address detection, so IPv6 works as soon as links are up.
                ns.Exec("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
            }

            router.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
            router.Exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            hostA = Wire(a, "ha", "10.201.1", "fd00:201:1");
            hostB = Wire(b, "hb", "10.201.2", "fd00:201:2");

            var config = DatapathConfig.Default;
            config.AggregationIntervalNs = 3_600_000_000_000; // no periodic reports during the test
            dp = Track(new DatapathFixture(config, ringBytes: 1 << 20));
            dp.AddEndpoint(EndpointA, IdentityA, DefaultDenyDirections.None, ifindex: hostA);
            dp.AddEndpoint(EndpointB, IdentityB, DefaultDenyDirections.Ingress, ifindex: hostB);
            foreach (var (address, identity) in new[] { (A4, IdentityA), (A6, IdentityA), (B4, IdentityB), (B6, IdentityB) })
            {
                dp.SetIdentity(address.ToString(), identity);
            }

            // B accepts from A: TCP 8080, UDP 5353, ICMP/ICMPv6 echo requests. Nothing else.
            dp.PutPortRange(EndpointB, DatapathDirection.Ingress, IdentityA, 6, AllowedTcpPort, AllowedTcpPort, AllowRef);
            dp.PutPortRange(EndpointB, DatapathDirection.Ingress, IdentityA, 17, AllowedUdpPort, AllowedUdpPort, AllowRef);
            dp.PutPortRange(EndpointB, DatapathDirection.Ingress, IdentityA, 1, 8, 8, AllowRef);
            dp.PutPortRange(EndpointB, DatapathDirection.Ingress, IdentityA, 58, 128, 128, AllowRef);

            var from = dp.LoadedObject.GetProgram(DatapathMaps.FromEndpointProgram);
            var to = dp.LoadedObject.GetProgram(DatapathMaps.ToEndpointProgram);
            router.Run(() =>
            {
                foreach (var ifindex in new[] { hostA, hostB })
                {
                    cleanup.Insert(0, new InNamespace(router, TcAttachment.Attach(ifindex, TcDirection.Ingress, from)));
                    cleanup.Insert(0, new InNamespace(router, TcAttachment.Attach(ifindex, TcDirection.Egress, to)));
                }
            });

            // Resolve neighbours once, so that each test's first packet leaves without waiting for ARP/ND.
            foreach (var (ns, gateway) in new[] { (a, "10.201.1.1"), (a, "fd00:201:1::1"), (b, "10.201.2.1"), (b, "fd00:201:2::1") })
            {
                ns.Exec("ping", "-c", "1", "-W", "2", gateway);
            }

            dp.DrainEvents();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task AllowedTcpConnect_SucceedsAndIsReportedAtBothEndpoints(int family)
    {
        var (clientAddress, serverAddress) = Addresses(family);
        using var listener = b.Run(() => Listen(serverAddress, AllowedTcpPort));
        using var client = a.Run(() => new Socket(serverAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var serverTask = EchoOnceAsync(listener, timeout.Token);
        await client.ConnectAsync(new IPEndPoint(serverAddress, AllowedTcpPort), timeout.Token);
        await client.SendAsync("hello"u8.ToArray(), timeout.Token);
        var buffer = new byte[16];
        var read = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        client.Shutdown(SocketShutdown.Send); // our FIN first…
        Assert.Equal(0, await client.ReceiveAsync(buffer, timeout.Token)); // …then the server's
        await serverTask;
        var clientPort = (ushort)((IPEndPoint)client.LocalEndPoint!).Port;

        var records = dp.DrainEvents();
        Assert.Equal(0ul, dp.Lost());
        var atA = Flow(records, EndpointA, 6, clientAddress, clientPort, serverAddress, AllowedTcpPort);
        var atB = Flow(records, EndpointB, 6, clientAddress, clientPort, serverAddress, AllowedTcpPort);
        (FlowEventType, int, byte)[] expected =
        [
            (FlowEventType.FlowNew, 0, TcpFlagBits.Syn),
            (FlowEventType.TcpFlags, 1, TcpFlagBits.Syn),
            (FlowEventType.TcpFlags, 0, TcpFlagBits.Fin),
            (FlowEventType.TcpFlags, 1, TcpFlagBits.Fin),
        ];
        const byte StateBits = TcpFlagBits.Syn | TcpFlagBits.Fin | TcpFlagBits.Rst;
        Assert.Equal(expected, atA.Select(r => (r.EventType, (int)r.IsReply, (byte)(r.TcpFlags & StateBits))).ToArray());
        Assert.Equal(expected, atB.Select(r => (r.EventType, (int)r.IsReply, (byte)(r.TcpFlags & StateBits))).ToArray());
        Assert.Equal(TcpFlagBits.Syn | TcpFlagBits.Ack, atA[1].TcpFlags);
        Assert.All(atA, r => Assert.Equal((DatapathDirection.Egress, FlowVerdict.Forwarded, (uint)hostA), (r.Direction, r.Verdict, r.IfIndex)));
        Assert.All(atB, r => Assert.Equal((DatapathDirection.Ingress, FlowVerdict.Forwarded, (uint)hostB), (r.Direction, r.Verdict, r.IfIndex)));
        Assert.Equal((IdentityA, IdentityB, AllowRef, PolicyMatchType.L3L4), (atB[0].SourceIdentity, atB[0].DestinationIdentity, atB[0].PolicyRef, atB[0].MatchType));
        Assert.Equal((IdentityA, IdentityB, PolicyMatchType.None), (atA[0].SourceIdentity, atA[0].DestinationIdentity, atA[0].MatchType));
        Assert.True(atA[3].PacketsForward >= 4 && atA[3].PacketsReverse >= 3, "counters cover the whole connection");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task DeniedTcpConnect_FailsAndIsReportedAsPolicyDrop(int family)
    {
        var (clientAddress, serverAddress) = Addresses(family);
        // A listener exists: only policy stands between the client and a successful connect.
        using var listener = b.Run(() => Listen(serverAddress, DeniedTcpPort));
        using var client = a.Run(() => new Socket(serverAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        client.Bind(new IPEndPoint(clientAddress, 0));
        var clientPort = (ushort)((IPEndPoint)client.LocalEndPoint!).Port;

        // Shorter than the first SYN retransmission (1 s), so exactly one SYN is sent.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ConnectAsync(new IPEndPoint(serverAddress, DeniedTcpPort), timeout.Token));

        var records = dp.DrainEvents();
        Assert.Equal(0ul, dp.Lost());
        var atA = Assert.Single(Flow(records, EndpointA, 6, clientAddress, clientPort, serverAddress, DeniedTcpPort));
        var atB = Assert.Single(Flow(records, EndpointB, 6, clientAddress, clientPort, serverAddress, DeniedTcpPort));
        Assert.Equal((FlowEventType.FlowNew, FlowVerdict.Forwarded), (atA.EventType, atA.Verdict));
        Assert.Equal((FlowEventType.Drop, FlowVerdict.Dropped, DropReason.PolicyDenied), (atB.EventType, atB.Verdict, atB.DropReason));
        Assert.Equal(TcpFlagBits.Syn, atB.TcpFlags);
        Assert.True(dp.Packets(DatapathDirection.Ingress, FlowVerdict.Dropped, DropReason.PolicyDenied) >= 1);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task UdpRequestReply_AllowedPortPasses_OneNewFlowRecordPerEndpoint(int family)
    {
        var (clientAddress, serverAddress) = Addresses(family);
        using var server = b.Run(() => BoundUdp(serverAddress, AllowedUdpPort));
        using var client = a.Run(() => BoundUdp(clientAddress, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var clientPort = (ushort)((IPEndPoint)client.LocalEndPoint!).Port;

        for (var i = 0; i < 3; i++)
        {
            await client.SendToAsync(new byte[] { 1, 2, 3 }, new IPEndPoint(serverAddress, AllowedUdpPort), timeout.Token);
            var buffer = new byte[16];
            var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(family == 4 ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token);
            await server.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint, timeout.Token);
            Assert.Equal(3, (await client.ReceiveFromAsync(buffer, new IPEndPoint(family == 4 ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token)).ReceivedBytes);
        }

        var records = dp.DrainEvents();
        Assert.Equal(0ul, dp.Lost());
        var atA = Assert.Single(Flow(records, EndpointA, 17, clientAddress, clientPort, serverAddress, AllowedUdpPort));
        var atB = Assert.Single(Flow(records, EndpointB, 17, clientAddress, clientPort, serverAddress, AllowedUdpPort));
        Assert.Equal(FlowEventType.FlowNew, atA.EventType);
        Assert.Equal((FlowEventType.FlowNew, PolicyMatchType.L3L4, AllowRef), (atB.EventType, atB.MatchType, atB.PolicyRef));
        var flowAtB = dp.Conntrack().Single(e => e.Key.EndpointId == EndpointB && e.Key.Protocol == 17 && NetworkOrder.FromBigEndian(e.Key.RemotePortBigEndian) == clientPort);
        Assert.Equal((3ul, 3ul, ConntrackState.Established), (flowAtB.Value.PacketsForward, flowAtB.Value.PacketsReverse, flowAtB.Value.State));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task LargeUdpDatagrams_AreFragmented_AndEveryFragmentFollowsTheFlow(int family)
    {
        var (clientAddress, serverAddress) = Addresses(family);
        using var server = b.Run(() => BoundUdp(serverAddress, AllowedUdpPort));
        using var client = a.Run(() => BoundUdp(clientAddress, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var clientPort = (ushort)((IPEndPoint)client.LocalEndPoint!).Port;
        var datagram = new byte[4000]; // > the 1500-byte MTU: three fragments each way
        Random.Shared.NextBytes(datagram);
        var matchedBefore = dp.Debug(DebugCounter.FragmentMatched);

        await client.SendToAsync(datagram, new IPEndPoint(serverAddress, AllowedUdpPort), timeout.Token);
        var buffer = new byte[8192];
        var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(family == 4 ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token);
        Assert.Equal(datagram, buffer[..received.ReceivedBytes]);
        await server.SendToAsync(datagram, received.RemoteEndPoint, timeout.Token);
        var echoed = await client.ReceiveFromAsync(buffer, new IPEndPoint(family == 4 ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token);
        Assert.Equal(datagram.Length, echoed.ReceivedBytes);

        // Two later fragments per datagram, per direction, at each of the two endpoints' interfaces.
        Assert.True(dp.Debug(DebugCounter.FragmentMatched) - matchedBefore >= 8, $"matched {dp.Debug(DebugCounter.FragmentMatched) - matchedBefore}");
        Assert.Equal(0ul, dp.Packets(DatapathDirection.Ingress, FlowVerdict.Dropped, DropReason.FirstLogicalDatagramFragmentNotFound));
        var records = dp.DrainEvents();
        Assert.Equal(0ul, dp.Lost());
        Assert.Single(Flow(records, EndpointA, 17, clientAddress, clientPort, serverAddress, AllowedUdpPort));
        Assert.Equal(FlowEventType.FlowNew, Assert.Single(Flow(records, EndpointB, 17, clientAddress, clientPort, serverAddress, AllowedUdpPort)).EventType);
        var flowAtB = dp.Conntrack().Single(e => e.Key.EndpointId == EndpointB && e.Key.Protocol == 17 && NetworkOrder.FromBigEndian(e.Key.RemotePortBigEndian) == clientPort);
        Assert.Equal((3ul, 3ul), (flowAtB.Value.PacketsForward, flowAtB.Value.PacketsReverse));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void Ping_FromAllowedPeerPasses_FromHostIsDropped(int family)
    {
        var (addressA, addressB) = Addresses(family);
        var protocol = family == 4 ? (byte)1 : (byte)58;

        a.Exec("ping", "-c", "2", "-i", "0.2", "-W", "2", addressB.ToString());

        var records = dp.DrainEvents().Where(r => r.Protocol == protocol && Involves(r, addressA, addressB)).ToList();
        Assert.Equal(0ul, dp.Lost());
        // One flow per endpoint (both echo requests share the identifier); the echo replies are replies.
        Assert.Equal([EndpointA, EndpointB], records.Select(r => (ushort)r.EndpointId).ToArray());
        Assert.All(records, r => Assert.Equal((FlowEventType.FlowNew, FlowVerdict.Forwarded, family == 4 ? (byte)8 : (byte)128), (r.EventType, r.Verdict, r.IcmpType)));
        Assert.Equal((PolicyMatchType.L3L4, AllowRef), (records[1].MatchType, records[1].PolicyRef));

        // The router's own address has no ipcache entry (WORLD) and no allow at B: dropped.
        var routerAddress = IPAddress.Parse(family == 4 ? "10.201.2.1" : "fd00:201:2::1");
        var droppedBefore = dp.Packets(DatapathDirection.Ingress, FlowVerdict.Dropped, DropReason.PolicyDenied);
        Assert.Throws<InvalidOperationException>(() => router.Exec("ping", "-c", "1", "-W", "1", addressB.ToString()));

        var drops = dp.DrainEvents().Where(r => r.Protocol == protocol && r.SourceAddress.Equals(routerAddress)).ToList();
        Assert.NotEmpty(drops);
        Assert.All(drops, drop => Assert.Equal(
            (FlowEventType.Drop, DropReason.PolicyDenied, 2u, IdentityB, EndpointB),
            (drop.EventType, drop.DropReason, drop.SourceIdentity, drop.DestinationIdentity, (ushort)drop.EndpointId)));
        Assert.True(dp.Packets(DatapathDirection.Ingress, FlowVerdict.Dropped, DropReason.PolicyDenied) >= droppedBefore + (ulong)drops.Count);
    }

    public void Dispose()
    {
        foreach (var item in cleanup)
        {
            try
            {
                item.Dispose();
            }
            catch (Exception e) when (e is InvalidOperationException or BpfException)
            {
                // Best effort: deleting the namespaces below removes whatever is left.
            }
        }

        cleanup.Clear();
    }

    private static (IPAddress Client, IPAddress Server) Addresses(int family) => family == 4 ? (A4, B4) : (A6, B6);

    private static bool Involves(FlowRecord r, IPAddress x, IPAddress y) =>
        (r.SourceAddress.Equals(x) && r.DestinationAddress.Equals(y)) || (r.SourceAddress.Equals(y) && r.DestinationAddress.Equals(x));

    /// <summary>The records of one flow at one endpoint, in ring order, whichever way each packet went.</summary>
    private static List<FlowRecord> Flow(IReadOnlyList<FlowRecord> records, ushort endpoint, byte protocol, IPAddress client, ushort clientPort, IPAddress server, ushort serverPort) =>
        records.Where(r => r.EndpointId == endpoint && r.Protocol == protocol &&
                ((r.SourceAddress.Equals(client) && r.SourcePort == clientPort && r.DestinationAddress.Equals(server) && r.DestinationPort == serverPort) ||
                 (r.SourceAddress.Equals(server) && r.SourcePort == serverPort && r.DestinationAddress.Equals(client) && r.DestinationPort == clientPort)))
            .ToList();

    private static Socket Listen(IPAddress address, ushort port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, port));
        socket.Listen();
        return socket;
    }

    private static Socket BoundUdp(IPAddress address, ushort port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, port));
        return socket;
    }

    private static async Task EchoOnceAsync(Socket listener, CancellationToken cancellation)
    {
        using var connection = await listener.AcceptAsync(cancellation);
        var buffer = new byte[16];
        var read = await connection.ReceiveAsync(buffer, cancellation);
        await connection.SendAsync(buffer.AsMemory(0, read), cancellation);
        while (await connection.ReceiveAsync(buffer, cancellation) > 0)
        {
        }

        connection.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Moves <paramref name="endpoint"/>'s end of a new veth pair into it and addresses both ends.</summary>
    private int Wire(NetworkNamespace endpoint, string hostName, string v4Prefix, string v6Prefix)
    {
        router.Ip("link", "add", hostName, "type", "veth", "peer", "name", "eth0", "netns", endpoint.Name);
        router.Ip("addr", "add", $"{v4Prefix}.1/24", "dev", hostName);
        router.Ip("addr", "add", $"{v6Prefix}::1/64", "dev", hostName, "nodad");
        router.Ip("link", "set", hostName, "up");
        endpoint.Ip("addr", "add", $"{v4Prefix}.2/24", "dev", "eth0");
        endpoint.Ip("addr", "add", $"{v6Prefix}::2/64", "dev", "eth0", "nodad");
        endpoint.Ip("link", "set", "eth0", "up");
        endpoint.Ip("route", "add", "default", "via", $"{v4Prefix}.1");
        endpoint.Ip("-6", "route", "add", "default", "via", $"{v6Prefix}::1");
        return router.Run(() => NetInterface.IndexOf(hostName));
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        // Disposed in reverse order of creation: attachments, then the datapath, then namespaces.
        cleanup.Insert(0, disposable);
        return disposable;
    }

    /// <summary>Disposes a tc attachment from inside the namespace its interface lives in (netlink is per namespace).</summary>
    private sealed class InNamespace(NetworkNamespace ns, IDisposable inner) : IDisposable
    {
        public void Dispose() => ns.Run(inner.Dispose);
    }
}
