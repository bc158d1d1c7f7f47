using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Load.Harness;

namespace Sluice.Load.Scenarios;

/// <summary>
/// Policy overhead on real traffic (DESIGN §7, target ≤ 5% lower req/s): wrk in the client namespace
/// against a keep-alive HTTP responder in the server namespace, through client veth → router → server veth.
/// Each round measures once with no programs attached (no daemon, clsact removed, pins deleted) and once
/// with sluiced running and enforcing an allow policy on both endpoints (after its start-up CPU has
/// settled), then once more after SIGTERM, when
/// the programs stay attached without the daemon (datapath cost alone); the order of the no-programs and
/// the sluiced legs alternates per round (ABBA) so drift in the shared machine's load falls on both sides.
/// </summary>
internal static class OverheadScenario
{
    private const int HttpPort = 8080;
    private const int ClosedPort = 8081;

    public static void Run(LoadOptions options, ScenarioReport report)
    {
        int rounds = options.Int("rounds", 6);
        int seconds = options.Int("duration", 8);
        int connections = options.Int("connections", 16);
        using var net = new LoadNetwork("client", "server");
        net.WriteEndpoints("client", "server");
        net.WriteConfig();
        net.WritePolicy("allow.yaml", Policies.ClientToServer(HttpPort));
        var server = net.Peers["server"];
        using var http = new TcpResponder(server.Netns, HttpPort, http: true);
        using var closed = new TcpResponder(server.Netns, ClosedPort, http: false);
        var probe = new TcpProbe(net.Peers["client"].Netns);
        string url = $"http://{server.V4}:{HttpPort}/";

        Wrk(net, url, 2, connections); // warm-up: JIT of the responder, ARP, page cache
        var baseline = new List<WrkResult>();
        var enforced = new List<WrkResult>();
        var datapathOnly = new List<WrkResult>();
        for (int round = 1; round <= rounds; round++)
        {
            bool enforcedFirst = round % 2 == 0;
            for (int leg = 0; leg < 2; leg++)
            {
                if ((leg == 0) == enforcedFirst)
                {
                    using var daemon = new SluicedProcess(net, options.DaemonDll);
                    daemon.WaitReady();
                    // Enforcement is really in place: the allow policy leaves port 8081 denied.
                    if (probe.ConnectAsync(server.V4, ClosedPort, TimeSpan.FromMilliseconds(500)).GetAwaiter().GetResult())
                    {
                        throw new InvalidOperationException("port 8081 connected while sluiced enforces a policy that does not allow it");
                    }

                    // Steady state, not start-up: measured right after READY, most of the daemon's CPU during
                    // wrk is the tiered JIT compiling what just ran (per thread: ".NET Tiered Com"). Wait for
                    // it, run one discarded wrk so the code paths traffic exercises are compiled, wait again.
                    daemon.WaitCpuSettled(3, TimeSpan.FromSeconds(30));
                    Wrk(net, url, 3, connections);
                    var settled = daemon.WaitCpuSettled(3, TimeSpan.FromSeconds(30));
                    var cpu0 = daemon.CpuTime();
                    var threads0 = daemon.ThreadCpuTimes();
                    ulong seen0 = daemon.ServerStatus().SeenFlows;
                    var result = Wrk(net, url, seconds, connections);
                    double daemonCpu = (daemon.CpuTime() - cpu0).TotalSeconds / seconds * 100;
                    double eventsPerSecond = (daemon.ServerStatus().SeenFlows - seen0) / (double)seconds;
                    enforced.Add(result with { DaemonCpuPercent = daemonCpu, FlowEventsPerSecond = eventsPerSecond });
                    var row = Row(round, "sluiced", result, daemonCpu);
                    row["flowEventsPerSecond"] = Math.Round(eventsPerSecond, 1);
                    row["settledAfterWarmupS"] = Math.Round(settled.TotalSeconds, 1);
                    // Which daemon threads the CPU went to (the top three), to tell pipeline work from
                    // the rest; tick-based, so 10 ms resolution per thread.
                    row["busiestThreadsMs"] = new JsonObject([.. daemon.ThreadCpuTimes()
                        .Select(t => (t.Key, Ms: (t.Value - threads0.GetValueOrDefault(t.Key)).TotalMilliseconds))
                        .OrderByDescending(t => t.Ms).Take(3)
                        .Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Ms))]);
                    report.Detail(row);

                    // SIGTERM leaves the programs attached and the maps pinned (DESIGN §5): the same
                    // datapath without the daemon's user-space work separates the two costs.
                    daemon.Stop();
                    if (!net.ProgramsAttached("server") || probe.ConnectAsync(server.V4, ClosedPort, TimeSpan.FromMilliseconds(500)).GetAwaiter().GetResult())
                    {
                        throw new InvalidOperationException("enforcement did not stay in place after sluiced stopped");
                    }

                    var programsOnly = Wrk(net, url, seconds, connections);
                    datapathOnly.Add(programsOnly);
                    report.Detail(Row(round, "programs only (sluiced stopped)", programsOnly, 0));
                    net.RemoveDatapath();
                }
                else
                {
                    if (net.ProgramsAttached("server") || net.ProgramsAttached("client"))
                    {
                        throw new InvalidOperationException("programs still attached for a no-programs run");
                    }

                    var result = Wrk(net, url, seconds, connections);
                    baseline.Add(result);
                    report.Detail(Row(round, "none", result, 0));
                }
            }
        }

        double baseRps = baseline.Average(r => r.RequestsPerSecond);
        double enfRps = enforced.Average(r => r.RequestsPerSecond);
        double lossPercent = (1 - (enfRps / baseRps)) * 100;
        var perRound = baseline.Zip(enforced, (b, e) => (1 - (e.RequestsPerSecond / b.RequestsPerSecond)) * 100).ToList();
        report.Figure("req/s, no programs (mean)", baseRps, "req/s", $"{rounds} rounds × {seconds} s, wrk -t1 -c{connections}");
        report.Figure("req/s, sluiced enforcing (mean)", enfRps, "req/s");
        report.Figure("req/s lower with sluiced", lossPercent, "%", $"per round: {string.Join(", ", perRound.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)))}");
        report.Figure("median of per-round differences", Percentiles.Of(perRound, 50), "%");
        double onlyRps = datapathOnly.Average(r => r.RequestsPerSecond);
        var perRoundOnly = baseline.Zip(datapathOnly, (b, e) => (1 - (e.RequestsPerSecond / b.RequestsPerSecond)) * 100).ToList();
        report.Figure("req/s, programs only, sluiced stopped (mean)", onlyRps, "req/s", "same policy still enforced in the kernel");
        report.Figure("req/s lower, programs only", (1 - (onlyRps / baseRps)) * 100, "%", $"per round: {string.Join(", ", perRoundOnly.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)))}");
        report.Figure("latency p50, no programs (median of rounds)", Percentiles.Of(baseline.Select(r => r.P50Ms), 50), "ms");
        report.Figure("latency p50, sluiced (median of rounds)", Percentiles.Of(enforced.Select(r => r.P50Ms), 50), "ms");
        report.Figure("latency p99, no programs (median of rounds)", Percentiles.Of(baseline.Select(r => r.P99Ms), 50), "ms");
        report.Figure("latency p99, sluiced (median of rounds)", Percentiles.Of(enforced.Select(r => r.P99Ms), 50), "ms");
        report.Figure("latency p50, programs only (median of rounds)", Percentiles.Of(datapathOnly.Select(r => r.P50Ms), 50), "ms");
        report.Figure("latency p99, programs only (median of rounds)", Percentiles.Of(datapathOnly.Select(r => r.P99Ms), 50), "ms");
        report.Figure("sluiced CPU during wrk (mean)", enforced.Average(r => r.DaemonCpuPercent), "% core");
        report.Figure("flow events during wrk (mean)", enforced.Average(r => r.FlowEventsPerSecond), "events/s", $"observer seen_flows; {connections} keep-alive connections");
        report.Target("policy overhead", "≤ 5% lower req/s", lossPercent.ToString("F1", CultureInfo.InvariantCulture) + "%", lossPercent <= 5);
    }

    private static JsonObject Row(int round, string programs, WrkResult r, double daemonCpu) => new()
    {
        ["round"] = round,
        ["programs"] = programs,
        ["requestsPerSecond"] = Math.Round(r.RequestsPerSecond, 1),
        ["p50Ms"] = r.P50Ms,
        ["p99Ms"] = r.P99Ms,
        ["daemonCpuPercent"] = Math.Round(daemonCpu, 1),
        ["loadAverage"] = ScenarioReport.LoadAverage(),
    };

    private static WrkResult Wrk(LoadNetwork net, string url, int seconds, int connections)
    {
        var (code, output) = Cmd.Run(TimeSpan.FromSeconds(seconds + 30), "ip", "netns", "exec", net.Peers["client"].Netns,
            "wrk", "-t1", $"-c{connections}", $"-d{seconds}s", "--latency", url);
        if (code != 0)
        {
            throw new InvalidOperationException($"wrk exited with {code}:\n{output}");
        }

        var parsed = WrkOutput.Parse(output);
        return new WrkResult(parsed.RequestsPerSecond, parsed.P50Ms, parsed.P99Ms, 0, 0);
    }

    private sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, double DaemonCpuPercent, double FlowEventsPerSecond);
}
