using System.Text.Json.Nodes;
using Sluice.Load.Harness;

namespace Sluice.Load.Scenarios;

/// <summary>
/// New-flow flood through the datapath with the daemon's flow pipeline running: distinct UDP 5-tuples as
/// fast as one sender thread can go (or at <c>--rate</c>), for <c>--duration</c> seconds. Reports the send
/// rate, flow events the daemon delivered (observer ServerStatus seen_flows and
/// hubble_flows_processed_total), losses by source (admin Status and hubble_lost_events_total), and the
/// daemon's CPU over the flood and the drain after it.
/// </summary>
internal static class FloodScenario
{
    public static void Run(LoadOptions options, ScenarioReport report)
    {
        int seconds = options.Int("duration", 10);
        int rate = options.Int("rate", int.MaxValue);
        using var net = new LoadNetwork("client", "sink");
        net.WriteEndpoints("client");
        net.WriteConfig();
        var sink = net.Peers["sink"];
        net.WritePolicy("udp.yaml", Policies.ClientUdpTo(sink.Prefix));
        using var daemon = new SluicedProcess(net, options.DaemonDll);
        daemon.WaitReady();
        daemon.WaitCpuSettled(3, TimeSpan.FromSeconds(30)); // past start-up JIT work, so the CPU figure is the flood's

        const int ports = 1000;
        using var flood = new UdpFlowFlood(net.Peers["client"].Netns, 500);
        var seen0 = daemon.ServerStatus().SeenFlows;
        var losses0 = daemon.Losses();
        var processed0 = DatapathProbe.Metrics(net, "hubble_flows_processed_total")["hubble_flows_processed_total"];
        var cpu0 = daemon.CpuTime();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var (sent, elapsed, errors) = flood.Send(sink.V4, 20000, ports, long.MaxValue, rate == int.MaxValue ? 0 : rate, TimeSpan.FromSeconds(seconds));
        var cpuFlood = daemon.CpuTime() - cpu0;
        var seenAtEnd = daemon.ServerStatus().SeenFlows;
        Thread.Sleep(3000); // drain
        var cpuAll = daemon.CpuTime() - cpu0;
        double wallSeconds = wall.Elapsed.TotalSeconds;
        var seen = daemon.ServerStatus().SeenFlows - seen0;
        var processed = DatapathProbe.Metrics(net, "hubble_flows_processed_total")["hubble_flows_processed_total"] - processed0;
        var losses = daemon.Losses();
        var lostMetric = DatapathProbe.Series(net, "hubble_lost_events_total");

        report.Figure("flows offered (UDP datagrams, distinct 5-tuples)", sent, "flows", LoadNetwork.Invariant($"{errors} send errors; 500 sources × {ports} ports, repeating after 500 k"));
        report.Figure("offered rate", sent / elapsed.TotalSeconds, "flows/s");
        report.Figure("events delivered during the flood", (seenAtEnd - seen0) / elapsed.TotalSeconds, "events/s", "observer seen_flows");
        report.Figure("events delivered incl. 3 s drain", seen, "events", LoadNetwork.Invariant($"{seen / wallSeconds:F0}/s over {wallSeconds:F1} s"));
        report.Figure("hubble_flows_processed_total delta", processed, "events");
        report.Figure("sluiced CPU during the flood", cpuFlood.TotalSeconds / elapsed.TotalSeconds * 100, "% core");
        report.Figure("sluiced CPU incl. drain", cpuAll.TotalSeconds / wallSeconds * 100, "% core");
        var row = new JsonObject();
        foreach (var (source, lost) in losses)
        {
            ulong delta = lost - losses0.GetValueOrDefault(source);
            report.Figure("lost during the flood: " + source, delta, "events", "admin Status");
            row[source] = delta;
        }

        foreach (var (labels, value) in lostMetric)
        {
            report.Figure("hubble_lost_events_total{" + labels + "}", value, "events", "since daemon start");
        }

        // Each offered datagram is a new flow (one new-flow record); what the daemon did not deliver must
        // be in the kernel ring-buffer loss counter, or it is lost without being counted.
        long unaccounted = sent - (long)seen - (long)(losses.GetValueOrDefault("kernel_ring_buffer") - losses0.GetValueOrDefault("kernel_ring_buffer"));
        report.Figure("offered − delivered − kernel-ring lost", unaccounted, "events", "unaccounted loss (negative: extra events, e.g. ICMP errors)");
        report.Detail(new JsonObject { ["lossDeltas"] = row, ["seen"] = seen, ["sent"] = sent, ["rssMiB"] = daemon.Memory().RssMiB });
        report.Figure("sluiced RSS after the flood", daemon.Memory().RssMiB, "MiB");
    }
}
