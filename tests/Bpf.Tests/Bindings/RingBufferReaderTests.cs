using System.Diagnostics;
using System.Runtime.InteropServices;
using Sluice.Bpf.Tests.Support;

namespace Sluice.Bpf.Tests.Bindings;

/// <summary>
/// Behaviour both ring-buffer readers share, run against the real kernel ring: fixture_emit writes
/// numbered records (payload bytes = (byte)seq), so order, completeness and integrity are checkable.
/// </summary>
public abstract class RingBufferReaderTests : IDisposable
{
    private const uint SmallRing = 4096;
    private readonly List<BpfObject> objects = [];

    public void Dispose()
    {
        foreach (var obj in objects)
        {
            obj.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract IRingBufferReader CreateReader(BpfMap ringBuffer, IRingBufferSink sink);

    [Fact]
    public void Drain_DeliversExactRecordsInOrder()
    {
        var obj = Open();
        var sink = new RecordingSink();
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);

        BindingsFixture.Emit(obj, perRun: 50, size: 40, repeat: 10);

        Assert.Equal(500, reader.Drain());
        AssertRecords(sink.Records, Enumerable.Range(0, 500).Select(i => (ulong)i), 40);
        Assert.Equal(0UL, BindingsFixture.State(obj, BindingsFixture.RingFullSlot));
        Assert.Equal(0, reader.Drain());
    }

    [Fact]
    public void Drain_DiscardedRecords_AreSkipped()
    {
        var obj = Open();
        var sink = new RecordingSink();
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);

        BindingsFixture.Emit(obj, perRun: 90, size: 24, discardEvery: 3);

        var expected = Enumerable.Range(0, 90).Where(i => i % 3 != 0).Select(i => (ulong)i).ToList();
        Assert.Equal(expected.Count, reader.Drain());
        AssertRecords(sink.Records, expected, 24);
        Assert.Equal(30UL, BindingsFixture.State(obj, BindingsFixture.DiscardedSlot));
    }

    [Fact]
    public void Drain_ManyRoundsInSmallRing_WrapsAroundWithoutLossOrCorruption()
    {
        var obj = Open(SmallRing);
        var sink = new RecordingSink();
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);
        var expectedSeqs = new List<ulong>();

        // Record spans (size + 8-byte header, 8-aligned) do not divide 4096, so records straddle the end of
        // the data area at varying offsets: readers must rely on the double mapping and the position mask.
        uint[] sizes = [16, 100, 250, 37, 64, 200];
        for (var round = 0; round < 120; round++)
        {
            var size = sizes[round % sizes.Length];
            var perRun = (uint)(3000 / (size + 8));
            var discardEvery = round % 5 == 0 ? 4u : 0u;
            var first = BindingsFixture.State(obj, BindingsFixture.NextSeqSlot);
            BindingsFixture.Emit(obj, perRun, size, discardEvery: discardEvery);
            for (var seq = first; seq < first + perRun; seq++)
            {
                if (discardEvery == 0 || seq % discardEvery != 0)
                {
                    expectedSeqs.Add(seq);
                }
            }

            reader.Drain();
        }

        Assert.Equal(0UL, BindingsFixture.State(obj, BindingsFixture.RingFullSlot));
        var total = BindingsFixture.State(obj, BindingsFixture.NextSeqSlot);
        Assert.True(total * 24 > 20 * SmallRing, "the test should wrap the ring many times");
        Assert.Equal(expectedSeqs, sink.Records.Select(r => MemoryMarshal.Read<FixtureRecord>(r).Seq));
        foreach (var record in sink.Records)
        {
            var header = MemoryMarshal.Read<FixtureRecord>(record);
            Assert.Equal((int)header.Size, record.Length);
            AssertPayload(record, header.Seq);
        }
    }

    [Fact]
    public void Poll_ConcurrentProducersOnSeveralThreads_EveryRecordArrivesIntactOrIsCountedLost()
    {
        // Producers on other threads (and, with 2+ CPUs, other CPUs) reserve and commit while the reader
        // consumes, so the reader meets busy records and interleaved commits, not just a quiet ring.
        var obj = Open(256 * 1024);
        var sink = new RecordingSink();
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);
        // One producer per CPU: fixture_emit builds records in a per-CPU scratch buffer, and test runs can be
        // preempted, so two producers sharing a CPU could overwrite each other's record mid-build.
        var producers = Math.Min(2, Environment.ProcessorCount);
        const uint runs = 200;
        const uint perRun = 50;
        var threads = Enumerable.Range(0, producers).Select(cpu => new Thread(() =>
        {
            CpuAffinity.PinCurrentThread(cpu);
            for (var run = 0; run < runs; run++)
            {
                BindingsFixture.Emit(obj, perRun, size: 48);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        while (threads.Any(t => t.IsAlive))
        {
            reader.Poll(10);
        }

        threads.ForEach(t => t.Join());
        reader.Drain();

        var total = (ulong)(producers * runs * perRun);
        var lost = BindingsFixture.State(obj, BindingsFixture.RingFullSlot);
        Assert.Equal(total, BindingsFixture.State(obj, BindingsFixture.NextSeqSlot));
        Assert.Equal(total, (ulong)sink.Records.Count + lost);
        var seqs = sink.Records.Select(r => MemoryMarshal.Read<FixtureRecord>(r).Seq).ToList();
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.All(seqs, seq => Assert.InRange(seq, 0UL, total - 1));
        foreach (var record in sink.Records)
        {
            Assert.Equal(48, record.Length);
            AssertPayload(record, MemoryMarshal.Read<FixtureRecord>(record).Seq);
        }
    }

    [Fact]
    public void RingFull_LossIsCountedAndDeliveredRecordsAreTheFirstOnes()
    {
        var obj = Open(SmallRing);
        var sink = new RecordingSink();
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);

        // 100 records of 120 bytes (128 with header) cannot fit in 4096 bytes. The producer refuses a
        // reservation once unconsumed bytes would exceed size - 1 (kernel/bpf/ringbuf.c
        // __bpf_ringbuf_reserve: new_prod_pos - cons_pos > rb->mask), so 31 records fit, not 32.
        BindingsFixture.Emit(obj, perRun: 100, size: 120);
        var delivered = reader.Drain();
        var lost = BindingsFixture.State(obj, BindingsFixture.RingFullSlot);

        Assert.Equal(31, delivered);
        Assert.Equal(69UL, lost);
        AssertRecords(sink.Records, Enumerable.Range(0, 31).Select(i => (ulong)i), 120);
    }

    [Fact]
    public void Poll_DataArrivesLater_WakesAndDelivers()
    {
        var obj = Open();
        var sink = new RecordingSink();
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);

        var producer = new Thread(() =>
        {
            Thread.Sleep(200);
            BindingsFixture.Emit(obj, perRun: 5, size: 32);
        });
        producer.Start();
        var watch = Stopwatch.StartNew();
        var delivered = 0;
        while (delivered < 5 && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            delivered += reader.Poll(5000);
        }

        producer.Join();
        Assert.Equal(5, delivered);
        AssertRecords(sink.Records, Enumerable.Range(0, 5).Select(i => (ulong)i), 32);
        Assert.True(watch.ElapsedMilliseconds >= 150, "Poll returned before the data was produced");
    }

    [Fact]
    public void Poll_NoData_TimesOutWithZero()
    {
        var obj = Open();
        using var reader = CreateReader(obj.GetMap("fixture_events"), new RecordingSink());

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, reader.Poll(100));
        Assert.True(watch.ElapsedMilliseconds >= 80, $"Poll(100) returned after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(0, reader.Poll(0));
    }

    [Fact]
    public void AvailableBytes_CountsHeadersAndPaddingUntilDrained()
    {
        var obj = Open();
        using var reader = CreateReader(obj.GetMap("fixture_events"), new RecordingSink());
        Assert.Equal(0, reader.AvailableBytes);

        // 10 records of 36 bytes: 8-byte header + 36, rounded up to 48 each.
        BindingsFixture.Emit(obj, perRun: 10, size: 36);
        Assert.Equal(480, reader.AvailableBytes);

        reader.Drain();
        Assert.Equal(0, reader.AvailableBytes);
    }

    [Fact]
    public void Drain_SinkThrows_ExceptionSurfacesAndNextDrainContinuesAfterThatRecord()
    {
        var obj = Open();
        var sink = new RecordingSink { ThrowOnSeq = 2 };
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);
        BindingsFixture.Emit(obj, perRun: 6, size: 24);

        var error = Assert.Throws<InvalidOperationException>(() => reader.Drain());
        Assert.Equal("sink failed on 2", error.Message);

        sink.ThrowOnSeq = null;
        Assert.Equal(3, reader.Drain());
        Assert.Equal([0UL, 1UL, 3UL, 4UL, 5UL], sink.Records.Select(r => MemoryMarshal.Read<FixtureRecord>(r).Seq));
    }

    [Fact]
    public void Reader_OutlivesItsObject_StillDrains()
    {
        var obj = Open();
        var sink = new RecordingSink();
        using var reader = CreateReader(obj.GetMap("fixture_events"), sink);
        BindingsFixture.Emit(obj, perRun: 4, size: 24);

        // The reader holds its own fd and mapping.
        obj.Dispose();

        Assert.Equal(4, reader.Drain());
    }

    [Fact]
    public void Dispose_ThenDrain_ThrowsObjectDisposed()
    {
        var obj = Open();
        var reader = CreateReader(obj.GetMap("fixture_events"), new RecordingSink());
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Drain());
    }

    [Fact]
    public void Create_NotARingBuffer_ThrowsArgumentException()
    {
        var obj = Open();
        var error = Assert.Throws<ArgumentException>(() => CreateReader(obj.GetMap("fixture_hash"), new RecordingSink()));
        Assert.Contains("not a ring buffer", error.Message, StringComparison.Ordinal);
    }

    private static void AssertRecords(IReadOnlyList<byte[]> records, IEnumerable<ulong> expectedSeqs, int size)
    {
        Assert.Equal(expectedSeqs, records.Select(r => MemoryMarshal.Read<FixtureRecord>(r).Seq));
        foreach (var record in records)
        {
            Assert.Equal(size, record.Length);
            var header = MemoryMarshal.Read<FixtureRecord>(record);
            Assert.Equal((uint)size, header.Size);
            AssertPayload(record, header.Seq);
        }
    }

    private static void AssertPayload(byte[] record, ulong seq)
    {
        var payload = record.AsSpan(Marshal.SizeOf<FixtureRecord>());
        var expected = (byte)seq;
        var mismatch = payload.IndexOfAnyExcept(expected);
        Assert.True(mismatch < 0, $"record {seq}: payload byte {mismatch} is {(mismatch < 0 ? 0 : payload[mismatch])}, expected {expected}");
    }

    private BpfObject Open(uint? ringSize = null)
    {
        var obj = BindingsFixture.OpenLoaded(o =>
        {
            if (ringSize is { } size)
            {
                o.GetMap("fixture_events").SetMaxEntries(size);
            }
        });
        objects.Add(obj);
        return obj;
    }

    private sealed class RecordingSink : IRingBufferSink
    {
        public List<byte[]> Records { get; } = [];

        public ulong? ThrowOnSeq { get; set; }

        public void OnRecord(ReadOnlySpan<byte> record)
        {
            var seq = MemoryMarshal.Read<FixtureRecord>(record).Seq;
            if (seq == ThrowOnSeq)
            {
                throw new InvalidOperationException($"sink failed on {seq}");
            }

            Records.Add(record.ToArray());
        }
    }
}
