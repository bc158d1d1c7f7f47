using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Grpc.Net.Client;
using Sluice.Api.Admin;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>
/// sluiced run for real: <c>ip netns exec &lt;router&gt; dotnet sluiced.dll --config …</c>, output captured,
/// with helpers to wait for readiness, query the admin API over the unix socket, and stop or SIGKILL it.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public DaemonProcess(Topology topology, IReadOnlyDictionary<string, string>? environment = null)
    {
        Topology = topology;
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "netns", "exec", topology.Router, "dotnet", DaemonDll, "--config", topology.ConfigFile })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Topology Topology { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The daemon built beside the tests (src/Daemon's output), found from this assembly's location.</summary>
    public static string DaemonDll
    {
        get
        {
            string here = AppContext.BaseDirectory;
            string[] candidates =
            [
                Path.Combine(here, "sluiced.dll"),
                Path.GetFullPath(Path.Combine(here, "../../../../../src/Daemon/bin", new DirectoryInfo(here).Parent!.Name, "net10.0/sluiced.dll")),
            ];
            return candidates.First(File.Exists);
        }
    }

    /// <summary>Waits for the ready log line (sent together with READY=1).</summary>
    public void WaitReady(TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            if (Output.Contains("sluiced ready", StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sluiced exited with {_process.ExitCode}:\n{Output}");
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException("sluiced did not become ready:\n" + Output);
    }

    /// <summary>A client of the admin service over the daemon's unix socket.</summary>
    public Admin.AdminClient AdminClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Topology.Socket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        return new Admin.AdminClient(channel);
    }

    public StatusResponse Status() => AdminClient().Status(new StatusRequest());

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; returns the time it took.</summary>
    public static TimeSpan WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (condition())
            {
                return watch.Elapsed;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s");
    }

    public void Signal(string signal) => Shell.Run("kill", "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>SIGKILLs the daemon (the dotnet process, child of ip netns exec which execs it).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for a clean exit.</summary>
    public int Stop()
    {
        Signal("TERM");
        if (!_process.WaitForExit(15000))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
