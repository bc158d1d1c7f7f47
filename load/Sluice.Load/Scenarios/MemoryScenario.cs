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

        Thread.Sleep(5000); // let start-up garbage be collected and the JIT settle
        var idle = Sample(daemon, TimeSpan.FromSeconds(3));
        report.Figure("RSS idle (1 endpoint, after READY + 5 s)", idle.Median, "MiB", "median of 3 s of samples");

        const int ports = 1000;
        using var flood = new UdpFlowFlood(net.Peers["client"].Netns, (flows + ports - 1) / ports);
        var seen0 = daemon.ServerStatus().SeenFlows;
        var (sent, elapsed, errors) = flood.Send(sink.V4, 20000, ports, flows, rate, TimeSpan.FromMinutes(5));
        Thread.Sleep(2000); // the pipeline drains its queues
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
        report.Figure("RSS with the flows (median)", loaded.Median, "MiB", "5 s of samples after the flood");
        report.Figure("RSS with the flows (max sample)", loaded.Max, "MiB");
        report.Figure("peak RSS over the run (VmHWM)", peak, "MiB");
        foreach (var (source, lost) in losses)
        {
            report.Figure("lost: " + source, lost, "events");
        }

        report.Target("daemon memory at 100 k flows", "≤ 150 MB RSS", LoadNetwork.Invariant($"{peak:F1} MiB peak ({peak * 1.048576:F1} MB), {ctEntries} conntrack entries"), peak * 1.048576 <= 150);
    }

    private static (double Median, double Max) Sample(SluicedProcess daemon, TimeSpan duration)
    {
        var samples = new List<double>();
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            samples.Add(daemon.Memory().RssMiB);
            Thread.Sleep(250);
        }

        return (Percentiles.Of(samples, 50), samples.Max());
    }
}
