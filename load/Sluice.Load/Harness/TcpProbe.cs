using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Load.Harness;

/// <summary>
/// TCP connect probes from a peer's namespace. A connection the policy denies has its SYN dropped, so it
/// times out; an allowed one completes the handshake. The timeout is shorter than the first SYN
/// retransmission (1 s, TCP_TIMEOUT_INIT in include/net/tcp.h), so one attempt is one SYN, judged once.
/// </summary>
internal sealed class TcpProbe
{
    private readonly string _netns;

    public TcpProbe(string netns) => _netns = netns;

    /// <summary>Whether a connection to <paramref name="address"/>:<paramref name="port"/> is established within <paramref name="timeout"/>.</summary>
    public async Task<bool> ConnectAsync(string address, int port, TimeSpan timeout)
    {
        using var socket = Netns.Run(_netns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        // RST on close instead of FIN: probes leave no TIME_WAIT behind to exhaust ephemeral ports.
        socket.LingerState = new LingerOption(true, 0);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), cts.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts an attempt every <paramref name="interval"/> for <paramref name="duration"/> without waiting for
    /// earlier ones, and returns each attempt's start time (on <paramref name="clock"/>) and outcome.
    /// </summary>
    public async Task<List<(TimeSpan Start, bool Connected)>> SweepAsync(string address, int port, Stopwatch clock, TimeSpan interval, TimeSpan duration, TimeSpan timeout, CancellationToken stop)
    {
        var attempts = new List<Task<(TimeSpan, bool)>>();
        var end = clock.Elapsed + duration;
        while (clock.Elapsed < end && !stop.IsCancellationRequested)
        {
            var start = clock.Elapsed;
            attempts.Add(Task.Run(async () => (start, await ConnectAsync(address, port, timeout))));
            await Task.Delay(interval, CancellationToken.None);
        }

        return [.. await Task.WhenAll(attempts)];
    }

    /// <summary>
    /// The start of the first attempt from which every later attempt has outcome <paramref name="outcome"/>,
    /// or null when the last attempt still had the other outcome (the change never settled).
    /// </summary>
    public static TimeSpan? SettledFrom(IReadOnlyList<(TimeSpan Start, bool Connected)> attempts, bool outcome)
    {
        TimeSpan? from = null;
        foreach (var (start, connected) in attempts.OrderBy(a => a.Start))
        {
            from = connected == outcome ? from ?? start : null;
        }

        return from;
    }
}
