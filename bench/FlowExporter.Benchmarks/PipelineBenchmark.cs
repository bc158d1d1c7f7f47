using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Prometheus;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Metrics;
using Sluice.FlowExporter.Pipeline;
using Sluice.FlowExporter.Sinks;

namespace Sluice.FlowExporter.Benchmarks;

/// <summary>
/// The full pipeline (reader → decode → enrich → fan-out → Prometheus metrics sink and the 65,535-flow
/// ring) fed from one producer thread playing the ring-buffer consumer. Peak: records pushed as fast as the
/// pipeline takes them, timed until every sink has them; rate per second of the process's CPU time (all stages
/// together, i.e. what one core sustains) and per wall second; the producer keeps a bounded number of
/// events in flight so the figure is the lossless rate. Paced: 1 M records/s offered for a few
/// seconds in 1 ms slices, then every loss counter is printed and the accounting identity checked.
/// </summary>
internal static class PipelineBenchmark
{
    public static async Task<int> Run(string[] args)
    {
        int peakRecords = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8_000_000;
        int pacedSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        const int distinct = 1 << 16;
        byte[] records = Workload.Records(distinct, 0);

        await RunPeakAsync(records, distinct, 1_000_000); // warm-up: tier-1 code, pools filled
        var peaks = new List<(double Cpu, double Wall, long Lost)>();
        for (int round = 0; round < 3; round++)
        {
            peaks.Add(await RunPeakAsync(records, distinct, peakRecords));
        }

        var paced = await RunPacedAsync(records, distinct, 1_000_000, pacedSeconds);

        Console.WriteLine();
        Console.WriteLine($"Flow pipeline: decode + enrich + Prometheus metrics + 65,535-flow ring ({Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription})");
        Console.WriteLine();
        Console.WriteLine($"Peak, {peakRecords:N0} records per round, at most {Window:N0} events in flight:");
        Console.WriteLine();
        Console.WriteLine("| Round | M events per CPU-second (all threads) | M events per wall second | Events lost |");
        Console.WriteLine("|---:|---:|---:|---:|");
        for (int i = 0; i < peaks.Count; i++)
        {
            Console.WriteLine($"| {i + 1} | {peaks[i].Cpu:F2} | {peaks[i].Wall:F2} | {peaks[i].Lost:N0} |");
        }

        Console.WriteLine();
        Console.WriteLine($"Paced at 1 M events/s offered for {pacedSeconds} s:");
        Console.WriteLine();
        Console.WriteLine("| Offered | Achieved offer rate (M/s) | Decoded | Reader-queue lost | Metrics-sink lost | Ring-sink lost | Malformed | Unaccounted |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {paced.Offered:N0} | {paced.Rate:F2} | {paced.Decoded:N0} | {paced.ReaderLost:N0} | {paced.MetricsLost:N0} | {paced.RingLost:N0} | {paced.Malformed:N0} | {paced.Unaccounted:N0} |");
        return paced.Unaccounted == 0 ? 0 : 1;
    }

    private static (FlowPipeline Pipeline, FlowRing Ring) Build()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var ring = new FlowRing(65_535);
        FlowPipeline? pipeline = null;
        var metrics = new PrometheusMetricsSink(registry, () => PrometheusMetricsSink.LossSourcesOf(pipeline!)());
        pipeline = new FlowPipeline(Workload.Enricher(), [metrics, ring]);
        return (pipeline, ring);
    }

    // The reader never blocks (a blocked ring-buffer consumer would only move the loss into the kernel), so
    // an unthrottled producer would mostly measure the reader dropping batches. The peak run instead keeps
    // at most Window events in flight, sleeping 1 ms when the window is full: the rate is what the stages
    // sustain without loss.
    private const long Window = 1 << 15;

    private static async Task<(double Cpu, double Wall, long Lost)> RunPeakAsync(byte[] records, int distinct, int count)
    {
        var (pipeline, _) = Build();
        double cpuStart = CpuClock.ProcessSeconds();
        var watch = Stopwatch.StartNew();
        var reader = pipeline.Reader;
        for (int i = 0; i < count; i++)
        {
            if ((i & 1023) == 0)
            {
                reader.Flush();
                while (i - pipeline.Sinks.Min(s => s.Delivered + s.Lost) > Window)
                {
                    Thread.Sleep(1);
                }
            }

            reader.OnRecord(records.AsSpan((i & (distinct - 1)) * FlowRecord.Size, FlowRecord.Size));
        }

        await pipeline.CompleteAsync();
        watch.Stop();
        double cpu = CpuClock.ProcessSeconds() - cpuStart;
        long lost = pipeline.Counters.PipelineQueueLost + pipeline.Sinks.Sum(s => s.Lost);
        long delivered = pipeline.Counters.Decoded;
        return (delivered / cpu / 1e6, delivered / watch.Elapsed.TotalSeconds / 1e6, lost);
    }

    private static async Task<(long Offered, double Rate, long Decoded, long ReaderLost, long MetricsLost, long RingLost, long Malformed, long Unaccounted)>
        RunPacedAsync(byte[] records, int distinct, int perSecond, int seconds)
    {
        var (pipeline, _) = Build();
        var reader = pipeline.Reader;
        long offered = 0;
        long target = (long)perSecond * seconds;
        var watch = Stopwatch.StartNew();
        while (offered < target)
        {
            // Offer what the schedule says is due by now, then flush as the consumer does after each drain.
            long due = Math.Min(target, (long)(watch.Elapsed.TotalSeconds * perSecond));
            for (; offered < due; offered++)
            {
                reader.OnRecord(records.AsSpan((int)(offered & (distinct - 1)) * FlowRecord.Size, FlowRecord.Size));
            }

            reader.Flush();
            Thread.Sleep(1);
        }

        double elapsed = watch.Elapsed.TotalSeconds;
        await pipeline.CompleteAsync();
        var c = pipeline.Counters;
        var sinks = pipeline.Sinks.ToDictionary(s => s.Name);
        long unaccounted = c.RecordsRead - c.Decoded - c.PipelineQueueLost - c.Malformed
            + pipeline.Sinks.Sum(s => c.Decoded - s.Delivered - s.Lost);
        return (offered, offered / elapsed / 1e6, c.Decoded, c.PipelineQueueLost, sinks["metrics"].Lost, sinks["ring"].Lost, c.Malformed, unaccounted);
    }
}
