using System.Diagnostics;
using System.Globalization;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>
/// A test network: a "router" namespace standing in for the host (sluiced runs inside it), one namespace
/// per endpoint joined to it by a veth pair (IPv4 10.&lt;n&gt;.&lt;i&gt;.2/24 and fd&lt;n&gt;:&lt;i&gt;::2/64),
/// an optional outside peer that is not an endpoint, and a private bpffs mount for the daemon's pins.
/// Every name carries a random suffix; Dispose removes all of it even when a test failed. Nothing is
/// changed in the root namespace.
/// </summary>
internal sealed class Topology : IDisposable
{
    private readonly List<Process> _servers = [];
    private readonly List<string> _namespaces = [];

    public Topology(params string[] endpoints)
    {
        Id = Guid.NewGuid().ToString("N")[..5];
        Net = Random.Shared.Next(100, 250);
        Router = $"slc{Id}r";
        Dir = Path.Combine(Path.GetTempPath(), $"slc{Id}");
        PolicyDir = Path.Combine(Dir, "policies");
        PinRoot = Path.Combine(Dir, "bpffs");
        Directory.CreateDirectory(PolicyDir);
        Directory.CreateDirectory(PinRoot);
        try
        {
            AddNetns(Router);
            Shell.Check("ip", "-n", Router, "link", "set", "lo", "up");
            Shell.Check("ip", "netns", "exec", Router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            Shell.Check("ip", "netns", "exec", Router, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            Shell.Check("mount", "-t", "bpf", "bpf", PinRoot);
            Mounted = true;
            for (int i = 0; i < endpoints.Length; i++)
            {
                AddPeer(endpoints[i], i + 1);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Id { get; }

    public int Net { get; }

    public string Router { get; }

    public string Dir { get; }

    public string PolicyDir { get; }

    public string PinRoot { get; }

    public string PinDir => Path.Combine(PinRoot, "sluice");

    public string StateDir => Path.Combine(Dir, "state");

    public string EndpointsFile => Path.Combine(Dir, "endpoints.yaml");

    public string ConfigFile => Path.Combine(Dir, "sluice.yaml");

    public string FlowLog => Path.Combine(Dir, "flows.jsonl");

    public string Socket => Path.Combine(Dir, "hubble.sock");

    private bool Mounted { get; set; }

    public Dictionary<string, Peer> Peers { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a namespace joined to the router; <paramref name="index"/> picks its subnet.</summary>
    public Peer AddPeer(string name, int index)
    {
        string ns = $"slc{Id}{index}";
        string host = $"slc{Id}h{index}";
        AddNetns(ns);
        Shell.Check("ip", "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Shell.Check("ip", "link", "set", host, "netns", Router);
        string v4 = $"10.{Net}.{index}";
        string v6 = $"fd{Net:x2}:{index}";
        Shell.Check("ip", "-n", Router, "addr", "add", $"{v4}.1/24", "dev", host);
        Shell.Check("ip", "-n", Router, "-6", "addr", "add", $"{v6}::1/64", "dev", host, "nodad");
        Shell.Check("ip", "-n", Router, "link", "set", host, "up");
        Shell.Check("ip", "-n", ns, "addr", "add", $"{v4}.2/24", "dev", "eth0");
        Shell.Check("ip", "-n", ns, "-6", "addr", "add", $"{v6}::2/64", "dev", "eth0", "nodad");
        Shell.Check("ip", "-n", ns, "link", "set", "eth0", "up");
        Shell.Check("ip", "-n", ns, "link", "set", "lo", "up");
        Shell.Check("ip", "-n", ns, "route", "add", "default", "via", $"{v4}.1");
        Shell.Check("ip", "-n", ns, "-6", "route", "add", "default", "via", $"{v6}::1");
        var peer = new Peer(name, ns, host, $"{v4}.2", $"{v6}::2", $"{v4}.1");
        Peers[name] = peer;
        return peer;
    }

    /// <summary>The endpoints-file entry of a peer.</summary>
    public string EndpointEntry(string name, string @namespace, string labels, string? extra = null)
    {
        var p = Peers[name];
        return $"  - {{name: {name}, namespace: {@namespace}, interface: {p.HostInterface}, addresses: [{p.V4}, '{p.V6}'], labels: {{{labels}}}{(extra is null ? string.Empty : ", " + extra)}}}\n";
    }

    /// <summary>Writes the daemon config; <paramref name="extra"/> is appended YAML.</summary>
    public void WriteConfig(string extra = "")
    {
        File.WriteAllText(ConfigFile, $$"""
            nodeName: node-{{Id}}
            stateDir: {{StateDir}}
            bpfPinDir: {{PinDir}}
            endpointsFile: {{EndpointsFile}}
            policy:
              dirs: [{{PolicyDir}}]
            flows:
              log: {path: {{FlowLog}}}
            metrics: {listen: "127.0.0.1:9965"}
            grpc: {socket: {{Socket}}}

            """ + extra);
    }

    /// <summary>Writes a policy file atomically (temp + rename), as editors and config tools do.</summary>
    public void WritePolicy(string fileName, string yaml)
    {
        string temp = Path.Combine(Dir, fileName + ".tmp");
        File.WriteAllText(temp, yaml);
        File.Move(temp, Path.Combine(PolicyDir, fileName), overwrite: true);
    }

    /// <summary>Starts TCP (both families), UDP echo (both families) servers in a peer's namespace.</summary>
    public void Serve(string name, params int[] tcpPorts)
    {
        foreach (var port in tcpPorts)
        {
            Start(Peers[name].Netns, "socat", $"TCP6-LISTEN:{port},fork,reuseaddr,ipv6only=0", "EXEC:echo ok");
        }
    }

    /// <summary>Starts TCP servers in the router namespace (the host).</summary>
    public static void ServeInRouter(Topology t, params int[] tcpPorts)
    {
        foreach (var port in tcpPorts)
        {
            t.Start(t.Router, "socat", $"TCP6-LISTEN:{port},fork,reuseaddr,ipv6only=0", "EXEC:echo ok");
        }
    }

    /// <summary>Starts a UDP echo server on <paramref name="port"/> (both families).</summary>
    public void ServeUdp(string name, int port) =>
        Start(Peers[name].Netns, "socat", $"UDP6-RECVFROM:{port},fork,reuseaddr,ipv6only=0", "EXEC:cat");

    /// <summary>Whether a TCP connection from <paramref name="from"/> to <paramref name="address"/>:<paramref name="port"/> gets the server's greeting.</summary>
    public bool Tcp(string from, string address, int port)
    {
        string target = address.Contains(':', StringComparison.Ordinal) ? $"TCP6:[{address}]:{port}" : $"TCP4:{address}:{port}";
        var (code, output) = Shell.Run(TimeSpan.FromSeconds(5), "ip", "netns", "exec", Peers[from].Netns, "socat", "-T2", "STDIO", target + ",connect-timeout=1");
        return code == 0 && output.Contains("ok", StringComparison.Ordinal);
    }

    /// <summary>Whether a UDP datagram is echoed back.</summary>
    public bool Udp(string from, string address, int port)
    {
        string target = address.Contains(':', StringComparison.Ordinal) ? $"UDP6:[{address}]:{port}" : $"UDP4:{address}:{port}";
        var (_, output) = Shell.Run(TimeSpan.FromSeconds(5), "bash", "-c",
            $"echo probe | ip netns exec {Peers[from].Netns} socat -T1 STDIO {target}");
        return output.Contains("probe", StringComparison.Ordinal);
    }

    /// <summary>Whether one ping (ICMP or ICMPv6 echo) is answered.</summary>
    public bool Ping(string from, string address) =>
        Shell.Run(TimeSpan.FromSeconds(5), "ip", "netns", "exec", Peers[from].Netns, "ping", "-c1", "-W1", address).ExitCode == 0;

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            try
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(2000);
            }
            catch (InvalidOperationException)
            {
            }

            server.Dispose();
        }

        foreach (var ns in _namespaces.AsEnumerable().Reverse())
        {
            Shell.Run("ip", "netns", "del", ns);
        }

        if (Mounted)
        {
            Shell.Run("umount", PinRoot);
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void AddNetns(string name)
    {
        Shell.Check("ip", "netns", "add", name);
        _namespaces.Add(name);
    }

    internal void Start(string netns, params string[] command)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["netns", "exec", netns, .. command])
        {
            info.ArgumentList.Add(a);
        }

        _servers.Add(Process.Start(info)!);
        Thread.Sleep(100);
    }

    public sealed record Peer(string Name, string Netns, string HostInterface, string V4, string V6, string RouterV4);

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
