using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Pipeline;

namespace Sluice.FlowExporter.Benchmarks;

/// <summary>
/// Record → decoded event rate on one thread pinned to CPU 0: (a) decoding records in place, (b) what the
/// reader and decode stages do per record — copy the record out of the ring's span into a pooled batch
/// (the span is only valid during the ring-buffer callback), then decode the batch into a FlowEvent array.
/// The kernel ring drain itself is measured by bench/Bpf.Benchmarks ringbuf.
/// </summary>
internal static class DecodeBenchmark
{
    public static Task<int> Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        const int records = 1 << 20;
        CpuClock.PinThreadToCpu0();
        byte[] buffer = Workload.Records(records, 0);
        var decoded = new FlowEvent[FlowPipelineOptions.DefaultBatchSize];
        long checksum = 0;

        var results = new List<(string Name, double BestCpu, double MedianCpu, double BestWall)>();
        foreach (var (name, pass) in new (string, Func<long>)[]
        {
            ("decode in place", () => DecodeInPlace(buffer, records, decoded)),
            ("copy to batch + decode", () => CopyAndDecode(buffer, records, decoded)),
        })
        {
            for (int i = 0; i < 20; i++)
            {
                checksum += pass(); // reach tier-1 code before timing
            }

            var cpu = new List<double>();
            var wall = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                double cpuStart = CpuClock.ThreadSeconds();
                var watch = Stopwatch.StartNew();
                long ok = pass();
                watch.Stop();
                double cpuSeconds = CpuClock.ThreadSeconds() - cpuStart;
                if (ok != records)
                {
                    Console.Error.WriteLine($"{name}: decoded {ok} of {records}");
                    return Task.FromResult(1);
                }

                checksum += ok;
                cpu.Add(records / cpuSeconds / 1e6);
                wall.Add(records / watch.Elapsed.TotalSeconds / 1e6);
            }

            cpu.Sort();
            wall.Sort();
            results.Add((name, cpu[^1], cpu[cpu.Count / 2], wall[^1]));
        }

        Console.WriteLine();
        Console.WriteLine($"Flow record decode, {records:N0} records of {FlowRecord.Size} bytes per round, {rounds} rounds, one thread pinned to CPU 0 ({Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription})");
        Console.WriteLine();
        Console.WriteLine("| Work per record | CPU-time M/s best | CPU-time M/s median | Wall M/s best |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, bestCpu, medianCpu, bestWall) in results)
        {
            Console.WriteLine($"| {name} | {bestCpu:F1} | {medianCpu:F1} | {bestWall:F1} |");
        }

        GC.KeepAlive(checksum);
        return Task.FromResult(0);
    }

    private static long DecodeInPlace(byte[] buffer, int records, FlowEvent[] decoded)
    {
        long ok = 0;
        for (int i = 0; i < records; i++)
        {
            if (FlowRecordDecoder.Decode(buffer.AsSpan(i * FlowRecord.Size, FlowRecord.Size), 0, out decoded[i & (decoded.Length - 1)]) == FlowDecodeStatus.Ok)
            {
                ok++;
            }
        }

        return ok;
    }

    private static long CopyAndDecode(byte[] buffer, int records, FlowEvent[] decoded)
    {
        long ok = 0;
        var batch = RawRecordBatch.Rent(decoded.Length);
        for (int i = 0; i < records; i++)
        {
            batch.Add(buffer.AsSpan(i * FlowRecord.Size, FlowRecord.Size));
            if (batch.Count == batch.Capacity)
            {
                for (int j = 0; j < batch.Count; j++)
                {
                    if (FlowRecordDecoder.Decode(batch.Record(j), 0, out decoded[j]) == FlowDecodeStatus.Ok)
                    {
                        ok++;
                    }
                }

                batch.Count = 0;
            }
        }

        batch.Return();
        return ok;
    }
}
