using System.Text.Json.Nodes;
using Sluice.Load.Harness;

namespace Sluice.Load.Scenarios;

/// <summary>
/// Daemon memory idle and with 100 k tracked flows (DESIGN §7, target ≤ 150 MB RSS). The client endpoint
/// sends one UDP datagram per distinct 5-tuple to a peer that is not an endpoint (so each flow is tracked
/// once, at the client); the policy allows that UDP egress. RSS is sampled from /proc while the flows are
/// live in conntrack and their events sit in the daemon's flow ring.
/// </summary>
internal static class MemoryScenario
{
    public static void Run(LoadOptions options, ScenarioReport report)
    {
        int flows = options.Int("flows", 100_000);
        int rate = options.Int("rate", 20_000);
        using var net = new LoadNetwork("client", "sink");
        net.WriteEndpoints("client");
        net.WriteConfig();
        var sink = net.Peers["sink"];
        net.WritePolicy("udp.yaml", Policies.ClientUdpTo(sink.Prefix));
        using var daemon = new SluicedProcess(net, options.DaemonDll);
        daemon.WaitReady();

        // Idle means after start-up: tiered JIT compilation keeps a new .NET process busy for seconds.
        var settled = daemon.WaitCpuSettled(3, TimeSpan.FromSeconds(30));
        var idleCpu0 = daemon.CpuTime();
        var idle = Sample(daemon, TimeSpan.FromSeconds(3));
        report.Figure("RSS idle (1 endpoint)", idle.Median, "MiB", LoadNetwork.Invariant($"median of 3 s of samples, {settled.TotalSeconds:F0} s after READY once CPU settled"));
        report.Figure("sluiced CPU idle", (daemon.CpuTime() - idleCpu0).TotalSeconds / 3 * 100, "% core", "no traffic, over the same 3 s (10 ms tick resolution)");

        const int ports = 1000;
        using var flood = new UdpFlowFlood(net.Peers["client"].Netns, (flows + ports - 1) / ports);
        var seen0 = daemon.ServerStatus().SeenFlows;
        using var sampling = new CancellationTokenSource();
        var duringFlood = Task.Run(() => Sample(daemon, TimeSpan.FromMinutes(10), sampling.Token));
        var (sent, elapsed, errors) = flood.Send(sink.V4, 20000, ports, flows, rate, TimeSpan.FromMinutes(5));
        Thread.Sleep(2000); // the pipeline drains its queues
        sampling.Cancel();
        var during = duringFlood.GetAwaiter().GetResult();
        var loaded = Sample(daemon, TimeSpan.FromSeconds(5));
        var (ctEntries, ctMax) = DatapathProbe.ConntrackFill(net);
        var server = daemon.ServerStatus();
        var losses = daemon.Losses();
        var (_, peak) = daemon.Memory();

        report.Detail(new JsonObject
        {
            ["flowsSent"] = sent,
            ["sendErrors"] = errors,
            ["sendSeconds"] = elapsed.TotalSeconds,
            ["conntrackEntries"] = ctEntries,
            ["conntrackMaxEntries"] = ctMax,
            ["flowsSeenByDaemon"] = server.SeenFlows - seen0,
            ["flowRingHeld"] = server.NumFlows,
            ["flowRingCapacity"] = server.MaxFlows,
            ["losses"] = new JsonObject([.. losses.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        });
        report.Figure("distinct UDP flows sent", sent, "flows", LoadNetwork.Invariant($"{sent / elapsed.TotalSeconds:F0}/s, {errors} send errors"));
        report.Figure("conntrack entries after the flood", ctEntries, "entries", $"sluice_ct max_entries {ctMax} (LRU)");
        report.Figure("flow events seen by the daemon", server.SeenFlows - seen0, "events");
        report.Figure("flows held in the flow ring", server.NumFlows, "flows", $"capacity {server.MaxFlows}");
        report.Figure("RSS while flooding (max sample)", during.Max, "MiB", "sampled every 250 ms from flood start to 2 s after");
        report.Figure("RSS with the flows held (median)", loaded.Median, "MiB", "5 s of samples after the flood");
        report.Figure("RSS with the flows held (max sample)", loaded.Max, "MiB");
        report.Figure("peak RSS over the whole run (VmHWM)", peak, "MiB", "includes start-up");
        foreach (var (source, lost) in losses)
        {
            report.Figure("lost: " + source, lost, "events");
        }

        double worst = Math.Max(during.Max, loaded.Max);
        report.Target("daemon memory at 100 k flows", "≤ 150 MB RSS", LoadNetwork.Invariant($"max sampled {worst:F1} MiB = {worst * 1.048576:F1} MB (VmHWM {peak:F1} MiB = {peak * 1.048576:F1} MB); {ctEntries} of {ctMax} conntrack entries"), worst * 1.048576 <= 150);
    }

    private static (double Median, double Max) Sample(SluicedProcess daemon, TimeSpan duration, CancellationToken stop = default)
    {
        var samples = new List<double>();
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end && !stop.IsCancellationRequested)
        {
            samples.Add(daemon.Memory().RssMiB);
            Thread.Sleep(250);
        }

        return (Percentiles.Of(samples, 50), samples.Max());
    }
}
