using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>
/// sluiced as a Type=notify service: messages on NOTIFY_SOCKET (a test datagram socket) and the unit file
/// checked by systemd-analyze.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class SystemdTests
{
    [Fact]
    public async Task NotifySocket_ReadyOnlyAfterAttach_WatchdogPings_StoppingOnSigterm()
    {
        using var t = new Topology("web");
        File.WriteAllText(t.EndpointsFile, "endpoints:\n" + t.EndpointEntry("web", "shop", "app: web"));
        t.WriteConfig();
        string socketPath = Path.Combine(t.Dir, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var messages = new ConcurrentQueue<(TimeSpan At, string Text)>();
        Task<bool>? attachedAtReady = null;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        // A dedicated thread with blocking receives: the arrival times must not depend on thread-pool
        // scheduling on a loaded two-core machine.
        socket.ReceiveTimeout = 200;
        var receiver = new Thread(() =>
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = socket.Receive(buffer);
                }
                catch (SocketException)
                {
                    continue;
                }

                string text = Encoding.UTF8.GetString(buffer, 0, n);
                messages.Enqueue((clock.Elapsed, text));
                if (text.Contains("READY=1", StringComparison.Ordinal))
                {
                    attachedAtReady = Task.Run(() => LifecycleTests.TcFilters(t, t.Peers["web"].HostInterface, "ingress").Contains(" bpf ", StringComparison.Ordinal));
                }
            }
        });
        receiver.Start();

        using var daemon = new DaemonProcess(t, new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socketPath,
            ["WATCHDOG_USEC"] = "400000",
        });
        DaemonProcess.WaitUntil(() => messages.Count(m => m.Text == "WATCHDOG=1") >= 3, TimeSpan.FromSeconds(30), "three watchdog pings");
        int exitCode = daemon.Stop();
        DaemonProcess.WaitUntil(() => messages.Any(m => m.Text.Contains("STOPPING=1", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "STOPPING=1");
        stop.Cancel();
        receiver.Join();

        var list = messages.ToList();
        Assert.Single(list, m => m.Text.Contains("READY=1", StringComparison.Ordinal));
        Assert.True(await attachedAtReady!, "READY=1 arrived before the programs were attached");
        Assert.Equal("READY=1", list[0].Text.Split('\n')[0]);
        var pings = list.Where(m => m.Text == "WATCHDOG=1").Select(m => m.At).ToList();
        Assert.True(pings.Count >= 3);
        Assert.All(pings.Zip(pings.Skip(1)), pair => Assert.InRange((pair.Second - pair.First).TotalMilliseconds, 100, 1000));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void NoWatchdogUsec_NoPings()
    {
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);

        Assert.Null(Hosting.SystemdNotifyService.WatchdogInterval());
    }

    [Fact]
    public void UnitFile_PassesSystemdAnalyzeVerify()
    {
        string unit = Path.Combine(RepositoryRoot(), "systemd", "sluiced.service");
        string dir = Path.Combine(Path.GetTempPath(), "slc" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        try
        {
            // verify checks that ExecStart exists and is executable: point it at the daemon just built
            // (its apphost) instead of the install location, leaving every other directive as shipped.
            string apphost = Path.ChangeExtension(DaemonProcess.DaemonDll, null);
            string copy = Path.Combine(dir, "sluiced.service");
            File.WriteAllText(copy, File.ReadAllText(unit).Replace("/usr/local/bin/sluiced", apphost, StringComparison.Ordinal));

            var (code, output) = Shell.Run("systemd-analyze", "verify", copy);

            Assert.True(code == 0 && output.Trim().Length == 0, output);
            Assert.Contains("Type=notify", File.ReadAllText(unit), StringComparison.Ordinal);
            Assert.Contains("WatchdogSec=", File.ReadAllText(unit), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ShippedConfigAndEndpointsFile_ParseWithoutErrors()
    {
        var config = global::Sluice.Daemon.Configuration.SluiceConfigParser.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "systemd", "sluice.yaml")));
        var endpoints = global::Sluice.Daemon.Endpoints.EndpointsFileParser.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "systemd", "endpoints.yaml")));

        Assert.Empty(config.Errors);
        Assert.Equal("/etc/sluice/endpoints.yaml", config.Options.EndpointsFile);
        Assert.Equal(65535, config.Options.Flows.RingCapacity);
        Assert.Empty(endpoints.Errors);
        Assert.Empty(endpoints.File!.Endpoints);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sluice.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("Sluice.sln not found above " + AppContext.BaseDirectory);
    }
}
