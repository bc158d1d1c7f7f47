using System.Globalization;

namespace Sluice.Load.Harness;

/// <summary>
/// The load topology: a "router" namespace standing in for the host (sluiced runs there), one namespace
/// per peer joined to it by a veth pair (peer i gets 10.&lt;net&gt;.&lt;i&gt;.2/24, the router .1), and a
/// private bpffs mount for the daemon's pins. Every name carries a random suffix (`sll` + 5 hex digits,
/// interface names stay within IFNAMSIZ-1 = 15 characters); Dispose removes all of it, also after a
/// failure or Ctrl-C. The root namespace's routes, addresses and sysctls are never touched: forwarding is
/// enabled inside the router namespace only.
/// </summary>
internal sealed class LoadNetwork : IDisposable
{
    private readonly List<string> _namespaces = [];
    private bool _mounted;
    private bool _disposed;

    public LoadNetwork(params string[] peers)
    {
        Id = Guid.NewGuid().ToString("N")[..5];
        Net = Random.Shared.Next(100, 250);
        Router = $"sll{Id}r";
        Dir = Path.Combine(Path.GetTempPath(), $"sll{Id}");
        CleanupOnExit.Register(this);
        try
        {
            Directory.CreateDirectory(PolicyDir);
            Directory.CreateDirectory(PinRoot);
            AddNetns(Router);
            Cmd.Check("ip", "-n", Router, "link", "set", "lo", "up");
            Cmd.Check("ip", "netns", "exec", Router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            Cmd.Check("mount", "-t", "bpf", "bpf", PinRoot);
            _mounted = true;
            for (int i = 0; i < peers.Length; i++)
            {
                AddPeer(peers[i], i + 1);
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

    public string PolicyDir => Path.Combine(Dir, "policies");

    public string PinRoot => Path.Combine(Dir, "bpffs");

    public string PinDir => Path.Combine(PinRoot, "sluice");

    public string StateDir => Path.Combine(Dir, "state");

    public string EndpointsFile => Path.Combine(Dir, "endpoints.yaml");

    public string ConfigFile => Path.Combine(Dir, "sluice.yaml");

    public string FlowLog => Path.Combine(Dir, "flows.jsonl");

    public string Socket => Path.Combine(Dir, "hubble.sock");

    public Dictionary<string, Peer> Peers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes the daemon config. Everything the daemon writes stays under <see cref="Dir"/>: the flow log is
    /// on (as in the default config) with its default rotation, but in this run's directory.
    /// </summary>
    public void WriteConfig(string extra = "") => File.WriteAllText(ConfigFile, $$"""
        nodeName: load-{{Id}}
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

    /// <summary>Writes the endpoints file; each name is a peer, labelled <c>app: &lt;name&gt;</c> in namespace <c>load</c>.</summary>
    public void WriteEndpoints(params string[] names) => File.WriteAllText(EndpointsFile, "endpoints:\n" + string.Concat(names.Select(n =>
    {
        var p = Peers[n];
        return $"  - {{name: {n}, namespace: load, interface: {p.HostInterface}, addresses: [{p.V4}], labels: {{app: {n}}}}}\n";
    })));

    /// <summary>Writes a policy file atomically (temp file + rename), as configuration tools do.</summary>
    public void WritePolicy(string fileName, string yaml)
    {
        string temp = Path.Combine(Dir, fileName + ".tmp");
        File.WriteAllText(temp, yaml);
        File.Move(temp, Path.Combine(PolicyDir, fileName), overwrite: true);
    }

    /// <summary>
    /// Removes the datapath entirely: the clsact qdisc (and with it the tc programs) on every host-side
    /// interface and the pins, so the next daemon start is a cold start and traffic meanwhile runs with no
    /// programs attached.
    /// </summary>
    public void RemoveDatapath()
    {
        foreach (var peer in Peers.Values)
        {
            Cmd.Run("tc", "-n", Router, "qdisc", "del", "dev", peer.HostInterface, "clsact");
        }

        if (Directory.Exists(PinDir))
        {
            foreach (var file in Directory.EnumerateFileSystemEntries(PinDir))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Whether any tc program is attached on a peer's host-side interface.</summary>
    public bool ProgramsAttached(string peer) =>
        Cmd.Run("tc", "-n", Router, "filter", "show", "dev", Peers[peer].HostInterface, "ingress").Output.Contains(" bpf ", StringComparison.Ordinal);

    public void Dispose()
    {
        lock (CleanupOnExit.Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var ns in _namespaces.AsEnumerable().Reverse())
            {
                Cmd.Run("ip", "netns", "del", ns);
            }

            if (_mounted)
            {
                Cmd.Run("umount", PinRoot);
            }

            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
            }

            CleanupOnExit.Forget(this);
        }
    }

    private void AddPeer(string name, int index)
    {
        string ns = $"sll{Id}{index}";
        string host = $"sll{Id}h{index}";
        AddNetns(ns);
        Cmd.Check("ip", "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Cmd.Check("ip", "link", "set", host, "netns", Router);
        string v4 = $"10.{Net}.{index}";
        Cmd.Check("ip", "-n", Router, "addr", "add", $"{v4}.1/24", "dev", host);
        Cmd.Check("ip", "-n", Router, "link", "set", host, "up");
        Cmd.Check("ip", "-n", ns, "addr", "add", $"{v4}.2/24", "dev", "eth0");
        Cmd.Check("ip", "-n", ns, "link", "set", "eth0", "up");
        Cmd.Check("ip", "-n", ns, "link", "set", "lo", "up");
        Cmd.Check("ip", "-n", ns, "route", "add", "default", "via", $"{v4}.1");
        Peers[name] = new Peer(name, ns, host, $"{v4}.2");
    }

    private void AddNetns(string name)
    {
        Cmd.Check("ip", "netns", "add", name);
        _namespaces.Add(name);
    }

    /// <summary>A peer namespace: its name, the host-side interface in the router, and its address.</summary>
    public sealed record Peer(string Name, string Netns, string HostInterface, string V4)
    {
        public string Prefix => V4[..V4.LastIndexOf('.')] + ".0/24";
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
