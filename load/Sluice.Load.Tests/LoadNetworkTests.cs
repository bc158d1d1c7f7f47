using System.Text;
using System.Text.Json;
using Sluice.Load.Harness;
using Xunit;

namespace Sluice.Load.Tests;

/// <summary>The harness's own plumbing on the real kernel: namespaces, veths, bpffs, sockets opened with setns.</summary>
public sealed class LoadNetworkTests
{
    [Fact]
    public async Task Network_RoutesBetweenPeersThroughTheRouter_AndDisposeRemovesEverything()
    {
        string[] namespaces;
        string dir, pinRoot;
        using (var net = new LoadNetwork("a", "b"))
        {
            namespaces = [net.Router, net.Peers["a"].Netns, net.Peers["b"].Netns];
            dir = net.Dir;
            pinRoot = net.PinRoot;
            using var http = new TcpResponder(net.Peers["b"].Netns, 8080, http: true);
            var probe = new TcpProbe(net.Peers["a"].Netns);

            Assert.All(namespaces, ns => Assert.Contains(ns, Cmd.Check("ip", "netns", "list"), StringComparison.Ordinal));
            Assert.Contains(pinRoot, File.ReadAllText("/proc/mounts"), StringComparison.Ordinal);
            Assert.True(await probe.ConnectAsync(net.Peers["b"].V4, 8080, TimeSpan.FromSeconds(2)), "no route a → router → b");
            // Nothing listens on 8081: the RST makes the probe fail fast rather than time out.
            Assert.False(await probe.ConnectAsync(net.Peers["b"].V4, 8081, TimeSpan.FromSeconds(2)));
            Assert.Equal(2, PipelinedResponses(net, net.Peers["b"].V4));
            Assert.False(net.ProgramsAttached("b"));
        }

        string list = Cmd.Check("ip", "netns", "list");
        Assert.All(namespaces, ns => Assert.DoesNotContain(ns, list, StringComparison.Ordinal));
        Assert.DoesNotContain(pinRoot, File.ReadAllText("/proc/mounts"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Flood_SendsDistinctFlowsIntoThePeersNamespace()
    {
        using var net = new LoadNetwork("a", "b");
        using var receiver = Netns.Run(net.Peers["b"].Netns, () =>
        {
            var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 20000));
            s.ReceiveTimeout = 2000;
            return s;
        });
        using var flood = new UdpFlowFlood(net.Peers["a"].Netns, 3);

        var (sent, _, errors) = flood.Send(net.Peers["b"].V4, 20000, 1, 3, 0, TimeSpan.FromSeconds(5));

        Assert.Equal(3, sent);
        Assert.Equal(0, errors);
        var sources = new HashSet<System.Net.EndPoint>();
        var buffer = new byte[64];
        for (int i = 0; i < 3; i++)
        {
            System.Net.EndPoint from = new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0);
            receiver.ReceiveFrom(buffer, ref from);
            sources.Add(from);
        }

        Assert.Equal(3, sources.Count); // three sockets, three source ports: three 5-tuples
    }

    [Fact]
    public void Report_Finish_WritesFiguresTargetsAndLoadAverage()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sll" + Guid.NewGuid().ToString("N")[..6]);
        try
        {
            var report = new ScenarioReport("unit", ["unit", "--rounds", "1"]);
            report.Figure("rate", 1234.5, "req/s", "note");
            report.Target("overhead", "≤ 5%", "3%", true);

            string path = report.Finish(dir);

            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            Assert.Equal("unit", root.GetProperty("scenario").GetString());
            Assert.Equal(1234.5, root.GetProperty("figures")[0].GetProperty("value").GetDouble());
            Assert.True(root.GetProperty("targets")[0].GetProperty("met").GetBoolean());
            Assert.Matches(@"^[\d.]+ [\d.]+ [\d.]+$", root.GetProperty("loadAverageBefore").GetString());
            Assert.EndsWith("-- unit --rounds 1", root.GetProperty("command").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int PipelinedResponses(LoadNetwork net, string address)
    {
        using var socket = Netns.Run(net.Peers["a"].Netns, () => new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp));
        socket.Connect(System.Net.IPAddress.Parse(address), 8080);
        socket.Send("GET / HTTP/1.1\r\nHost: b\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n"u8);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        socket.ReceiveTimeout = 2000;
        while (CountOk(received.ToString()) < 2)
        {
            int n = socket.Receive(buffer);
            if (n == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return CountOk(received.ToString());

        static int CountOk(string text) => (text.Length - text.Replace("HTTP/1.1 200 OK", string.Empty, StringComparison.Ordinal).Length) / "HTTP/1.1 200 OK".Length;
    }
}
