using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Sluice.Bpf.Benchmarks;

/// <summary>
/// Ring-buffer drain rate for each <see cref="IRingBufferReader"/>: the kernel fills a large ring first
/// (fixture_emit from bpf/testing/bindings_fixture.bpf.c via BPF_PROG_TEST_RUN with repeat), then one
/// thread drains it into a sink that reads every record; only the drain is timed. Producing and consuming
/// are separated so the figure is the consumer's ceiling, not the producer's.
/// </summary>
internal static class RingBufferDrainBenchmark
{
    private const uint RingBytes = 128u * 1024 * 1024;
    private const uint RecordsPerRun = 4096;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        uint[] recordSizes = [16, 64];
        var results = new List<(string Reader, uint Size, long Records, double BestMps, double MedianMps)>();

        using var obj = BpfObject.Open(BpfObject.Locate("testing/bindings_fixture.bpf.o"));
        obj.GetMap("fixture_events").SetMaxEntries(RingBytes);
        obj.Load();
        var ring = obj.GetMap("fixture_events");
        var emit = obj.GetProgram("fixture_emit");

        foreach (var size in recordSizes)
        {
            // Fill to about three quarters of the ring: span = size + 8-byte header, 8-aligned.
            var span = (size + 8 + 7) & ~7u;
            var runs = (uint)(RingBytes * 3L / 4 / span / RecordsPerRun);
            var records = (long)runs * RecordsPerRun;
            foreach (var (name, create) in Readers())
            {
                var rates = new List<double>();
                var sink = new ChecksumSink();
                using var reader = create(ring, sink);
                for (var round = -1; round < rounds; round++)
                {
                    Fill(emit, size, runs);
                    var lostBefore = Lost(obj);
                    var watch = Stopwatch.StartNew();
                    var delivered = 0L;
                    while (delivered < records)
                    {
                        var batch = reader.Drain();
                        if (batch == 0)
                        {
                            break;
                        }

                        delivered += batch;
                    }

                    watch.Stop();
                    if (delivered != records || Lost(obj) != lostBefore)
                    {
                        Console.Error.WriteLine($"{name}: delivered {delivered} of {records} records, ring refused {Lost(obj) - lostBefore}");
                        return 1;
                    }

                    // Round -1 warms up the JIT and faults the ring pages in.
                    if (round >= 0)
                    {
                        rates.Add(records / watch.Elapsed.TotalSeconds / 1e6);
                    }
                }

                rates.Sort();
                results.Add((name, size, records, rates[^1], rates[rates.Count / 2]));
                GC.KeepAlive(sink.Checksum);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Ring-buffer drain, one consumer thread, ring {RingBytes / (1024 * 1024)} MiB pre-filled by the kernel, {rounds} rounds each ({Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription})");
        Console.WriteLine();
        Console.WriteLine("| Reader | Record bytes | Records per round | Best M events/s | Median M events/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (reader, size, records, best, median) in results)
        {
            Console.WriteLine($"| {reader} | {size} | {records:N0} | {best:F1} | {median:F1} |");
        }

        return 0;
    }

    private static IEnumerable<(string Name, Func<BpfMap, IRingBufferSink, IRingBufferReader> Create)> Readers()
    {
        yield return (nameof(LibbpfRingBufferReader), (map, sink) => new LibbpfRingBufferReader(map, sink));
        yield return (nameof(ManagedRingBufferReader), (map, sink) => new ManagedRingBufferReader(map, sink));
    }

    private static void Fill(BpfProgram emit, uint size, uint runs)
    {
        var frame = new byte[64];
        frame[12] = 0x08;
        var context = SkbContext.Create(mark: RecordsPerRun, priority: size);
        emit.TestRun(frame, context, repeat: runs);
    }

    private static ulong Lost(BpfObject obj)
    {
        obj.GetMap("fixture_state").TryLookup(1u, out ulong lost);
        return lost;
    }

    /// <summary>Reads each record's sequence number so the drain cannot skip touching the data.</summary>
    private sealed class ChecksumSink : IRingBufferSink
    {
        public ulong Checksum { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> record) => Checksum += MemoryMarshal.Read<ulong>(record) ^ (ulong)record.Length;
    }
}
