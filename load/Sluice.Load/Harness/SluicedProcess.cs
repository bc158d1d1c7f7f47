using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Grpc.Net.Client;
using Sluice.Api.Admin;
using Sluice.Api.Observer;

namespace Sluice.Load.Harness;

/// <summary>
/// The real sluiced from its build output, run as <c>ip netns exec &lt;router&gt; dotnet sluiced.dll</c>
/// (ip execs dotnet, so the process id is the daemon's). NOTIFY_SOCKET points at a datagram socket this
/// class binds, so READY=1 is observed exactly as systemd sees it. Reads the daemon's RSS and CPU time
/// from /proc and talks to its admin and observer services over the unix socket.
/// </summary>
internal sealed class SluicedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Socket _notify;
    private readonly Thread _notifyReader;
    private readonly ManualResetEventSlim _ready = new();
    private readonly GrpcChannel _channel;
    private volatile bool _closing;

    public SluicedProcess(LoadNetwork network, string daemonDll)
    {
        Network = network;
        string notifyPath = Path.Combine(network.Dir, $"notify-{Guid.NewGuid():N}.sock");
        _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 200 };
        _notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        _notifyReader = new Thread(ReadNotifications) { IsBackground = true, Name = "notify" };
        _notifyReader.Start();

        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "netns", "exec", network.Router, "dotnet", daemonDll, "--config", network.ConfigFile })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NOTIFY_SOCKET"] = notifyPath;
        Clock = Stopwatch.StartNew();
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        CleanupOnExit.Register(this);

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(network.Socket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
    }

    public LoadNetwork Network { get; }

    /// <summary>Started just before the process was spawned.</summary>
    public Stopwatch Clock { get; }

    /// <summary>Time from spawn to READY=1 on NOTIFY_SOCKET, once it arrived.</summary>
    public TimeSpan? ReadyAfter { get; private set; }

    public int Pid => _process.Id;

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

    /// <summary>Waits for READY=1; throws with the daemon's output when it exits or times out first.</summary>
    public TimeSpan WaitReady(TimeSpan? timeout = null)
    {
        var limit = Stopwatch.StartNew();
        while (!_ready.Wait(100))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sluiced exited with {_process.ExitCode} before READY:\n{Output}");
            }

            if (limit.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("sluiced sent no READY=1:\n" + Output);
            }
        }

        return ReadyAfter!.Value;
    }

    /// <summary>
    /// Waits until the daemon uses at most <paramref name="maxPercent"/>% of a core over a one-second window
    /// (tiered JIT compilation keeps a freshly started .NET process busy for several seconds), or until
    /// <paramref name="timeout"/>; returns how long it took.
    /// </summary>
    public TimeSpan WaitCpuSettled(double maxPercent, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var before = CpuTime();
            Thread.Sleep(1000);
            if ((CpuTime() - before).TotalMilliseconds <= maxPercent * 10)
            {
                break;
            }
        }

        return watch.Elapsed;
    }

    /// <summary>Resident set size now (VmRSS) and its peak (VmHWM), in MiB, from /proc/&lt;pid&gt;/status.</summary>
    public (double RssMiB, double PeakMiB) Memory()
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiB(line) / 1024.0;
            }
        }

        return (rss, peak);
    }

    /// <summary>User + system CPU time consumed so far (fields 14 and 15 of /proc/&lt;pid&gt;/stat, USER_HZ = 100).</summary>
    public TimeSpan CpuTime()
    {
        string stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name (field 2) may hold spaces; the fields after it start past the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>
    /// CPU time per thread (name from /proc/&lt;pid&gt;/task/&lt;tid&gt;/comm, user + system), to see which
    /// of the daemon's threads a cost belongs to. Threads that exit between calls are missing.
    /// </summary>
    public Dictionary<string, TimeSpan> ThreadCpuTimes()
    {
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                string name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                result[$"{name} ({Path.GetFileName(task)})"] = TimeSpan.FromMilliseconds(ticks * 10);
            }
            catch (IOException)
            {
                // The thread exited while being read.
            }
        }

        return result;
    }

    public StatusResponse Status() => new Admin.AdminClient(_channel).Status(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

    public ServerStatusResponse ServerStatus() =>
        new Sluice.Api.Observer.Observer.ObserverClient(_channel).ServerStatus(new ServerStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

    /// <summary>Loss counters by source from the admin Status.</summary>
    public Dictionary<string, ulong> Losses() => Status().Losses.ToDictionary(l => l.Source, l => l.Lost, StringComparer.Ordinal);

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM and wait for a clean exit.</summary>
    public int Stop()
    {
        Cmd.Run("kill", "-TERM", Pid.ToString(CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(15000))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        lock (CleanupOnExit.Gate)
        {
            _closing = true;
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _notifyReader.Join();
            _notify.Dispose();
            _channel.Dispose();
            _process.Dispose();
            _ready.Dispose();
            CleanupOnExit.Forget(this);
        }
    }

    private static double KiB(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private void ReadNotifications()
    {
        var buffer = new byte[4096];
        while (!_closing)
        {
            int n;
            try
            {
                n = _notify.Receive(buffer);
            }
            catch (SocketException)
            {
                continue;
            }

            string text = Encoding.UTF8.GetString(buffer, 0, n);
            if (ReadyAfter is null && text.Split('\n').Contains("READY=1"))
            {
                ReadyAfter = Clock.Elapsed;
                _ready.Set();
            }
        }
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
