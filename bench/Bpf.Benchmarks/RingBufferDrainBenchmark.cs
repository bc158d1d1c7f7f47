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
internal static partial class RingBufferDrainBenchmark
{
    private const uint RingBytes = 128u * 1024 * 1024;
    private const uint RecordsPerRun = 4096;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;

        // One core: the kernel fill and the drain both run on this thread, pinned to CPU 0.
        PinToCpu0();
        uint[] recordSizes = [16, 64];
        var results = new List<(string Reader, uint Size, long Records, double BestCpu, double MedianCpu, double BestWall, double MedianWall)>();

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
                var cpuRates = new List<double>();
                var wallRates = new List<double>();
                var sink = new ChecksumSink();
                using var reader = create(ring, sink);
                WarmUp(emit, reader, size);
                for (var round = -1; round < rounds; round++)
                {
                    Fill(emit, size, runs);
                    var lostBefore = Lost(obj);
                    var cpuStart = ThreadCpuSeconds();
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
                    var cpuSeconds = ThreadCpuSeconds() - cpuStart;
                    if (delivered != records || Lost(obj) != lostBefore)
                    {
                        Console.Error.WriteLine($"{name}: delivered {delivered} of {records} records, ring refused {Lost(obj) - lostBefore}");
                        return 1;
                    }

                    // Round -1 faults every ring page into the reader's mapping.
                    if (round >= 0)
                    {
                        cpuRates.Add(records / cpuSeconds / 1e6);
                        wallRates.Add(records / watch.Elapsed.TotalSeconds / 1e6);
                    }
                }

                cpuRates.Sort();
                wallRates.Sort();
                results.Add((name, size, records, cpuRates[^1], cpuRates[cpuRates.Count / 2], wallRates[^1], wallRates[wallRates.Count / 2]));
                GC.KeepAlive(sink.Checksum);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Ring-buffer drain, one consumer thread pinned to CPU 0, ring {RingBytes / (1024 * 1024)} MiB pre-filled by the kernel, {rounds} rounds each ({Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription})");
        Console.WriteLine();
        Console.WriteLine("M events/s per second of the drain thread's CPU time (the per-core rate, robust to other load) and per wall-clock second.");
        Console.WriteLine();
        Console.WriteLine("| Reader | Record bytes | Records per round | CPU-time M/s best | CPU-time M/s median | Wall M/s best | Wall M/s median |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (reader, size, records, bestCpu, medianCpu, bestWall, medianWall) in results)
        {
            Console.WriteLine($"| {reader} | {size} | {records:N0} | {bestCpu:F1} | {medianCpu:F1} | {bestWall:F1} | {medianWall:F1} |");
        }

        return 0;
    }

    private static IEnumerable<(string Name, Func<BpfMap, IRingBufferSink, IRingBufferReader> Create)> Readers()
    {
        yield return (nameof(LibbpfRingBufferReader), (map, sink) => new LibbpfRingBufferReader(map, sink));
        yield return (nameof(ManagedRingBufferReader), (map, sink) => new ManagedRingBufferReader(map, sink));
    }

    // Tiered compilation promotes a method after 30 calls plus a background compile delay; a drain loop
    // called a handful of times would otherwise be timed as tier-0/OSR code, which a long-running daemon
    // never runs. Many small fill/drain cycles and a pause let the reader and sink reach tier 1 first.
    private static void WarmUp(BpfProgram emit, IRingBufferReader reader, uint size)
    {
        for (var cycle = 0; cycle < 200; cycle++)
        {
            Fill(emit, size, 1);
            reader.Drain();
        }

        Thread.Sleep(500);
        for (var cycle = 0; cycle < 200; cycle++)
        {
            Fill(emit, size, 1);
            reader.Drain();
        }
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

    private static unsafe double ThreadCpuSeconds()
    {
        // struct timespec { long tv_sec; long tv_nsec; } on 64-bit Linux.
        var time = stackalloc long[2];
        if (ClockGetTime(ClockThreadCpuTimeId, time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return time[0] + (time[1] / 1e9);
    }

    private const int ClockThreadCpuTimeId = 3;

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static unsafe partial int ClockGetTime(int clock, long* time);

    private static unsafe void PinToCpu0()
    {
        var mask = 1UL;
        if (SchedSetAffinity(0, sizeof(ulong), &mask) != 0)
        {
            Console.Error.WriteLine($"warning: could not pin to CPU 0 (errno {Marshal.GetLastPInvokeError()}); figures may be noisier");
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    /// <summary>Reads each record's sequence number so the drain cannot skip touching the data.</summary>
    private sealed class ChecksumSink : IRingBufferSink
    {
        public ulong Checksum { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> record) => Checksum += MemoryMarshal.Read<ulong>(record) ^ (ulong)record.Length;
    }
}
