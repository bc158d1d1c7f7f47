using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Prometheus;
using Sluice.FlowExporter.Metrics;
using Sluice.FlowExporter.Model;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public partial class PrometheusMetricsSinkTests
{
    [GeneratedRegex("^(?<name>[a-z_]+)(\\{(?<labels>[^}]*)\\})? (?<value>\\S+)$")]
    private static partial Regex SampleLine();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Scrapes /metrics over HTTP and returns "name{labels}" → value for every sample.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(CollectorRegistry registry)
    {
        int port = FreeLoopbackPort();
        using var server = new MetricServer("127.0.0.1", port, "metrics/", registry);
        server.Start();
        try
        {
            using var http = new HttpClient();
            string body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            var samples = new Dictionary<string, double>();
            foreach (string line in body.Split('\n'))
            {
                var match = SampleLine().Match(line);
                if (line.StartsWith('#') || !match.Success)
                {
                    continue;
                }

                samples[$"{match.Groups["name"].Value}{{{match.Groups["labels"].Value}}}"] =
                    double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }

            return samples;
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Scrape_AfterFlows_ExposesHubbleMetricsWithExactCounts()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var sink = new PrometheusMetricsSink(registry, () => new Dictionary<string, long>
        {
            ["perf_event_ring_buffer"] = 7,
            ["observer_events_queue"] = 3,
            ["hubble_ring_buffer"] = 0,
        });
        var dropWithSuppressed = TestFlows.DroppedUdp();
        dropWithSuppressed.SuppressedDrops = 4;
        FlowEvent[] flows =
        [
            TestFlows.NewTcp(), TestFlows.NewTcp(), TestFlows.NewTcp(),
            TestFlows.DroppedUdp(), dropWithSuppressed,
            TestFlows.SynAckReplyV6(),
            TestFlows.PingWorld(),
        ];
        sink.Consume(flows);

        var samples = await ScrapeAsync(registry);

        Assert.Equal(3, samples["hubble_flows_processed_total{type=\"PolicyVerdict\",subtype=\"\",verdict=\"FORWARDED\"}"]);
        Assert.Equal(2, samples["hubble_flows_processed_total{type=\"Drop\",subtype=\"\",verdict=\"DROPPED\"}"]);
        Assert.Equal(1, samples["hubble_flows_processed_total{type=\"Trace\",subtype=\"from-endpoint\",verdict=\"FORWARDED\"}"]);
        Assert.Equal(1, samples["hubble_flows_processed_total{type=\"PolicyVerdict\",subtype=\"\",verdict=\"AUDIT\"}"]);
        Assert.Equal(6, samples["hubble_drop_total{reason=\"POLICY_DENIED\",protocol=\"UDP\"}"]);
        Assert.Equal(3, samples["hubble_policy_verdicts_total{direction=\"ingress\",match=\"l3-l4\",action=\"forwarded\"}"]);
        Assert.Equal(1, samples["hubble_policy_verdicts_total{direction=\"egress\",match=\"none\",action=\"audit\"}"]);
        Assert.Equal(3, samples["hubble_tcp_flags_total{flag=\"SYN\",family=\"IPv4\"}"]);
        Assert.Equal(1, samples["hubble_tcp_flags_total{flag=\"SYN-ACK\",family=\"IPv6\"}"]);
        Assert.Equal(3, samples["hubble_port_distribution_total{protocol=\"TCP\",port=\"8080\"}"]);
        Assert.Equal(1, samples["hubble_icmp_total{family=\"IPv4\",type=\"EchoRequest\"}"]);
        Assert.Equal(7, samples["hubble_lost_events_total{source=\"perf_event_ring_buffer\"}"]);
        Assert.Equal(3, samples["hubble_lost_events_total{source=\"observer_events_queue\"}"]);
        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("hubble_port_distribution_total{protocol=\"TCP\",port=\"40000\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_PolicyVerdictFromHost_IsNotCounted()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var sink = new PrometheusMetricsSink(registry);
        var fromHost = TestFlows.NewTcp();
        fromHost.SourceIdentity = 1;
        sink.Consume([fromHost]);

        var samples = await ScrapeAsync(registry);

        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("hubble_policy_verdicts_total{", StringComparison.Ordinal));
        Assert.Equal(1, samples["hubble_flows_processed_total{type=\"PolicyVerdict\",subtype=\"\",verdict=\"FORWARDED\"}"]);
    }

    [Fact]
    public async Task Scrape_PipelineMetrics_ReportLossByWhereItHappened()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var gate = new ManualResetEventSlim(false);
        var ring = new Sinks.FlowRing(100);
        var pipeline = new Pipeline.FlowPipeline(TestFlows.Enricher(), [ring, new BlockedSink(gate)], new Pipeline.FlowPipelineOptions
        {
            BatchSize = 1,
            SinkQueueBatchesByName = new Dictionary<string, int> { ["blocked"] = 1 },
        });
        PipelineMetrics.Register(registry, pipeline, () => 5);
        var record = new byte[Bpf.Abi.FlowRecord.Size];
        Decoding.FlowRecordEncoder.Encode(TestFlows.NewTcp(), 0, record);
        for (int i = 0; i < 20; i++)
        {
            pipeline.Reader.OnRecord(record);
        }

        pipeline.Reader.OnRecord(record.AsSpan(1));
        pipeline.Reader.ReportKernelLost(11);
        while (ring.Written < 20)
        {
            await Task.Delay(10);
        }

        var samples = await ScrapeAsync(registry);
        gate.Set();
        await pipeline.CompleteAsync();

        Assert.Equal(21, samples["sluice_flow_records_total{stage=\"read\"}"]);
        Assert.Equal(20, samples["sluice_flow_records_total{stage=\"decoded\"}"]);
        Assert.Equal(1, samples["sluice_flow_records_total{stage=\"malformed\"}"]);
        Assert.Equal(11, samples["sluice_flow_lost_events_total{where=\"kernel_ring_buffer\"}"]);
        Assert.Equal(0, samples["sluice_flow_lost_events_total{where=\"reader_queue\"}"]);
        Assert.Equal(0, samples["sluice_flow_lost_events_total{where=\"sink:ring\"}"]);
        Assert.Equal(5, samples["sluice_flow_lost_events_total{where=\"subscriber_queue\"}"]);
        Assert.Equal(20, samples["sluice_flow_sink_events_total{sink=\"ring\"}"]);
        // The blocked sink holds at most one batch in its hands and one in its queue; the rest were lost.
        Assert.InRange(samples["sluice_flow_lost_events_total{where=\"sink:blocked\"}"], 18, 19);
        var blocked = pipeline.Sinks.Single(s => s.Name == "blocked");
        Assert.Equal(20, blocked.Delivered + blocked.Lost);
        Assert.Equal(samples["sluice_flow_lost_events_total{where=\"sink:blocked\"}"], blocked.Lost);
    }

    private sealed class BlockedSink(ManualResetEventSlim gate) : Sinks.IFlowSink
    {
        public string Name => "blocked";

        public void Consume(ReadOnlySpan<FlowEvent> flows) => gate.Wait();

        public void Complete()
        {
        }
    }
}
