using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.Load.Harness;

namespace Sluice.Load.Scenarios;

/// <summary>
/// Start to enforcing (DESIGN §7: ≤ 1 s after start; restart gap 0 packets mis-handled).
/// Cold start: no pins, no programs; connect probes to a port the policy denies run every 10 ms from before
/// the daemon is spawned, so "first packet enforced" is the start of the first probe from which every probe
/// is dropped. Warm start: the pins and programs of the previous run are there. Restart gap: probes to an
/// allowed and a denied port run back to back while the daemon is SIGKILLed and restarted; every allowed
/// probe must connect and every denied one must be dropped.
/// </summary>
internal static class StartupScenario
{
    private const int Allowed = 8080;
    private const int Denied = 8081;

    public static void Run(LoadOptions options, ScenarioReport report)
    {
        int rounds = options.Int("rounds", 3);
        using var net = new LoadNetwork("client", "server");
        net.WriteEndpoints("client", "server");
        net.WriteConfig();
        net.WritePolicy("allow.yaml", Policies.ClientToServer(Allowed));
        var server = net.Peers["server"];
        using var allowedServer = new TcpResponder(server.Netns, Allowed, http: false);
        using var deniedServer = new TcpResponder(server.Netns, Denied, http: false);
        var probe = new TcpProbe(net.Peers["client"].Netns);

        var coldReady = new List<double>();
        var coldEnforced = new List<double>();
        var warmReady = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            net.RemoveDatapath();
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            var sweep = probe.SweepAsync(server.V4, Denied, clock, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200), stop.Token);
            Thread.Sleep(300);
            var spawnedAt = clock.Elapsed;
            using (var daemon = new SluicedProcess(net, options.DaemonDll))
            {
                var ready = daemon.WaitReady();
                Thread.Sleep(1000);
                stop.Cancel();
                var attempts = sweep.GetAwaiter().GetResult();
                var enforcedAt = TcpProbe.SettledFrom(attempts, false);
                bool connectedBefore = attempts.Any(a => a.Start < spawnedAt && a.Connected);
                if (!connectedBefore || enforcedAt is null)
                {
                    throw new InvalidOperationException($"cold start round {round}: probes before the start connected: {connectedBefore}; enforcement settled: {enforcedAt is not null}");
                }

                double enforcedMs = (enforcedAt.Value - spawnedAt).TotalMilliseconds;
                coldReady.Add(ready.TotalMilliseconds);
                coldEnforced.Add(enforcedMs);
                if (!probe.ConnectAsync(server.V4, Allowed, TimeSpan.FromSeconds(1)).GetAwaiter().GetResult())
                {
                    throw new InvalidOperationException("the allowed port does not connect after READY");
                }

                daemon.Stop();
                report.Detail(new JsonObject { ["round"] = round, ["start"] = "cold", ["readyMs"] = ready.TotalMilliseconds, ["firstDeniedMs"] = enforcedMs });
            }

            using (var daemon = new SluicedProcess(net, options.DaemonDll))
            {
                var ready = daemon.WaitReady();
                warmReady.Add(ready.TotalMilliseconds);
                daemon.Stop();
                report.Detail(new JsonObject { ["round"] = round, ["start"] = "warm (pins kept)", ["readyMs"] = ready.TotalMilliseconds });
            }
        }

        var (probes, allowedProbes, wrong, kills) = RestartGap(net, options, probe, server.V4, rounds);
        report.Figure("cold start → READY=1 p50", Percentiles.Of(coldReady, 50), "ms", $"{rounds} rounds, max {coldReady.Max():F0} ms");
        report.Figure("cold start → first packet enforced p50", Percentiles.Of(coldEnforced, 50), "ms", $"max {coldEnforced.Max():F0} ms; 10 ms probe resolution");
        report.Figure("warm start (pins kept) → READY=1 p50", Percentiles.Of(warmReady, 50), "ms", $"max {warmReady.Max():F0} ms");
        report.Figure("restart gap: probes during SIGKILL+restart", probes, "probes", $"{allowedProbes} allowed, {probes - allowedProbes} denied; {kills} SIGKILL/restart cycles; allowed probes connect within 1 s, denied ones are dropped (300 ms)");
        report.Figure("restart gap: mis-handled probes", wrong.Count, "probes", string.Join("; ", wrong.Take(5)));
        report.Target("start to enforcing", "≤ 1000 ms after start", LoadNetwork.Invariant($"max {coldEnforced.Max():F0} ms (first packet), READY max {coldReady.Max():F0} ms"), coldEnforced.Max() <= 1000);
        report.Target("restart gap", "0 packets mis-handled", LoadNetwork.Invariant($"{wrong.Count} of {probes}"), wrong.Count == 0);
    }

    private static (int Probes, int Allowed, List<string> Wrong, int Kills) RestartGap(LoadNetwork net, LoadOptions options, TcpProbe probe, string address, int kills)
    {
        var outcomes = new ConcurrentQueue<(string What, bool Expected, bool Actual, double AtMs)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var daemon = new SluicedProcess(net, options.DaemonDll);
        daemon.WaitReady();
        // One allowed loop paced at 5 ms and six denied loops (each waits out its 300 ms timeout) give
        // comparable numbers of both kinds of probe across every gap.
        var loops = new List<Task> { Loop("allowed 8080", Allowed, true, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5)) };
        loops.AddRange(Enumerable.Range(0, 6).Select(_ => Loop("denied 8081", Denied, false, TimeSpan.FromMilliseconds(300), TimeSpan.Zero)));
        try
        {
            for (int k = 0; k < kills; k++)
            {
                Thread.Sleep(1500);
                daemon.Kill();
                daemon.Dispose();
                daemon = new SluicedProcess(net, options.DaemonDll);
                daemon.WaitReady();
            }

            Thread.Sleep(1500);
        }
        finally
        {
            stop.Cancel();
            Task.WaitAll([.. loops]);
            daemon.Dispose();
        }

        Console.WriteLine(LoadNetwork.Invariant($"  restart gap: {outcomes.Count(o => o.Expected)} allowed and {outcomes.Count(o => !o.Expected)} denied probes"));
        var wrong = outcomes.Where(o => o.Expected != o.Actual).Select(o => LoadNetwork.Invariant($"{o.What} at {o.AtMs:F0} ms")).ToList();
        return (outcomes.Count, outcomes.Count(o => o.Expected), wrong, kills);

        Task Loop(string what, int port, bool expected, TimeSpan timeout, TimeSpan pause) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var at = clock.Elapsed.TotalMilliseconds;
                outcomes.Enqueue((what, expected, await probe.ConnectAsync(address, port, timeout), at));
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause);
                }
            }
        });
    }
}
