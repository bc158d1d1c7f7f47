using System.Diagnostics;
using System.Globalization;

namespace Sluice.Cli.Daemon;

/// <summary>
/// The namespaces, veth pairs, bpffs mount and test servers of <c>sluice demo</c>. Every name carries a
/// random suffix (so two demos never collide, and leftovers of an interrupted run never block the next);
/// <see cref="Dispose"/> removes everything created, and is safe to call twice. The root namespace's
/// addresses, routes and sysctls are never changed: the daemon runs in a "router" namespace standing in
/// for the host.
/// </summary>
internal sealed class DemoNetwork : IDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];
    private bool _mounted;
    private bool _disposed;

    public DemoNetwork()
    {
        Id = Guid.NewGuid().ToString("N")[..5];
        Router = $"slcdemo{Id}r";
        Dir = Path.Combine(Path.GetTempPath(), $"sluice-demo-{Id}");
        Directory.CreateDirectory(Path.Combine(Dir, "policies"));
        Directory.CreateDirectory(Path.Combine(Dir, "bpffs"));
    }

    public string Id { get; }

    public string Router { get; }

    public string Dir { get; }

    public Dictionary<string, (string Netns, string HostInterface, string Address, string Gateway)> Peers { get; } = new(StringComparer.Ordinal);

    /// <summary>Creates the router namespace and mounts a private bpffs for the daemon's pins.</summary>
    public void CreateRouter()
    {
        AddNetns(Router);
        Run("ip", "-n", Router, "link", "set", "lo", "up");
        Run("ip", "netns", "exec", Router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        Run("mount", "-t", "bpf", "bpf", Path.Combine(Dir, "bpffs"));
        _mounted = true;
    }

    /// <summary>Adds a namespace joined to the router by a veth pair, subnet 10.200.<paramref name="index"/>.0/24.</summary>
    public void AddPeer(string name, int index)
    {
        string ns = $"slcdemo{Id}{index}";
        string host = $"sd{Id}-{name[..Math.Min(name.Length, 5)]}";
        AddNetns(ns);
        Run("ip", "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Run("ip", "link", "set", host, "netns", Router);
        string net = string.Create(CultureInfo.InvariantCulture, $"10.200.{index}");
        Run("ip", "-n", Router, "addr", "add", net + ".1/24", "dev", host);
        Run("ip", "-n", Router, "link", "set", host, "up");
        Run("ip", "-n", ns, "addr", "add", net + ".2/24", "dev", "eth0");
        Run("ip", "-n", ns, "link", "set", "eth0", "up");
        Run("ip", "-n", ns, "link", "set", "lo", "up");
        Run("ip", "-n", ns, "route", "add", "default", "via", net + ".1");
        Peers[name] = (ns, host, net + ".2", net + ".1");
    }

    /// <summary>Starts a TCP server answering "ok" in a peer.</summary>
    public void ServeTcp(string peer, int port) =>
        Start("ip", "netns", "exec", Peers[peer].Netns, "socat", string.Create(CultureInfo.InvariantCulture, $"TCP-LISTEN:{port},fork,reuseaddr"), "EXEC:echo ok");

    /// <summary>Starts a UDP echo server in a peer.</summary>
    public void ServeUdp(string peer, int port) =>
        Start("ip", "netns", "exec", Peers[peer].Netns, "socat", string.Create(CultureInfo.InvariantCulture, $"UDP-RECVFROM:{port},fork,reuseaddr"), "EXEC:cat");

    public bool Tcp(string from, string to, int port) =>
        Capture(5, "ip", "netns", "exec", Peers[from].Netns, "socat", "-T2", "STDIO",
            string.Create(CultureInfo.InvariantCulture, $"TCP:{Peers[to].Address}:{port},connect-timeout=1")).Output.Contains("ok", StringComparison.Ordinal);

    public bool Udp(string from, string to, int port) =>
        Capture(5, "bash", "-c", string.Create(CultureInfo.InvariantCulture,
            $"echo probe | ip netns exec {Peers[from].Netns} socat -T1 STDIO UDP:{Peers[to].Address}:{port}")).Output.Contains("probe", StringComparison.Ordinal);

    public bool Ping(string from, string to) =>
        Capture(5, "ip", "netns", "exec", Peers[from].Netns, "ping", "-c1", "-W1", Peers[to].Address).ExitCode == 0;

    /// <summary>Starts a long-running process (killed on dispose) and returns it.</summary>
    public Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs a command to completion; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Capture(int timeoutSeconds, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            Capture(10, "ip", "netns", "del", ns);
        }

        if (_mounted)
        {
            Capture(10, "umount", Path.Combine(Dir, "bpffs"));
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by an exiting process; the directory is under the temp dir anyway.
        }
    }

    private void AddNetns(string name)
    {
        Run("ip", "netns", "add", name);
        _namespaces.Add(name);
    }

    private static void Run(string file, params string[] args)
    {
        var (code, output) = Capture(20, file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {output.Trim()}");
        }
    }
}
