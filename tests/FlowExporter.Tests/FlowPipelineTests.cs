using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Pipeline;
using Sluice.FlowExporter.Sinks;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public class FlowPipelineTests
{
    private sealed class CountingSink(string name) : IFlowSink
    {
        public long Count;
        public ulong LastSequence;
        public bool Ordered = true;

        public string Name => name;

        public void Consume(ReadOnlySpan<FlowEvent> flows)
        {
            foreach (ref readonly var flow in flows)
            {
                Ordered &= flow.Sequence == LastSequence + 1;
                LastSequence = flow.Sequence;
                Count++;
            }
        }

        public void Complete()
        {
        }
    }

    private sealed class GatedSink(ManualResetEventSlim gate) : IFlowSink
    {
        public long Count;

        public string Name => "slow";

        public void Consume(ReadOnlySpan<FlowEvent> flows)
        {
            gate.Wait();
            Count += flows.Length;
        }

        public void Complete()
        {
        }
    }

    private sealed class GatedEnricher(ManualResetEventSlim gate, IFlowEnricher inner) : IFlowEnricher
    {
        public EndpointView? ResolveEndpoint(uint endpointId)
        {
            gate.Wait();
            return inner.ResolveEndpoint(endpointId);
        }

        public EndpointView? ResolvePeer(uint identity, in IpAddress16 address, byte ipVersion) => inner.ResolvePeer(identity, address, ipVersion);

        public PolicyRefInfo? ResolvePolicies(uint policyRef) => inner.ResolvePolicies(policyRef);

        public string? ResolveInterface(uint ifIndex) => inner.ResolveInterface(ifIndex);
    }

    private static byte[] Record(FlowEvent flow)
    {
        var bytes = new byte[FlowRecord.Size];
        FlowRecordEncoder.Encode(flow, 0, bytes);
        return bytes;
    }

    [Fact]
    public async Task Flood_SlowSinkLosesOnlyItsOwnEvents_AndEveryEventIsAccounted()
    {
        const int events = 300_000;
        const int malformedInjected = 123;
        using var gate = new ManualResetEventSlim(false);
        var fast = new CountingSink("fast");
        var ring = new FlowRing(1000);
        var slow = new GatedSink(gate);
        var pipeline = new FlowPipeline(TestFlows.Enricher(), [fast, ring, slow], new FlowPipelineOptions
        {
            ReaderQueueBatches = 100_000,
            SinkQueueBatches = 100_000,
            SinkQueueBatchesByName = new Dictionary<string, int> { ["slow"] = 2 },
        });

        byte[] good = Record(TestFlows.NewTcp());
        byte[] bad = Record(TestFlows.NewTcp());
        bad[0] = 77; // unknown version
        for (int i = 0; i < events; i++)
        {
            pipeline.Reader.OnRecord(good);
            if (i % 2000 == 0 && i / 2000 < malformedInjected)
            {
                pipeline.Reader.OnRecord(bad);
            }
        }

        pipeline.Reader.OnRecord(good.AsSpan(0, 10)); // wrong size
        pipeline.Reader.Flush();
        await WaitUntilAsync(() => fast.Count == events);
        gate.Set();
        await pipeline.CompleteAsync();

        var counters = pipeline.Counters;
        Assert.Equal(events + malformedInjected + 1, counters.RecordsRead);
        Assert.Equal(malformedInjected + 1, counters.Malformed);
        Assert.Equal(0, counters.PipelineQueueLost);
        Assert.Equal(events, counters.Decoded);

        var bySink = pipeline.Sinks.ToDictionary(s => s.Name);
        Assert.Equal(events, bySink["fast"].Delivered);
        Assert.Equal(0, bySink["fast"].Lost);
        Assert.True(fast.Ordered, "events reach a sink in order, numbered without gaps");
        Assert.Equal(events, bySink["ring"].Delivered);
        Assert.Equal(events, ring.Written);
        Assert.True(bySink["slow"].Lost > 0, "the gated sink must have overflowed its two-batch queue");
        Assert.Equal(events, bySink["slow"].Delivered + bySink["slow"].Lost);
        Assert.Equal(slow.Count, bySink["slow"].Delivered);
    }

    [Fact]
    public async Task Flood_BlockedStage_ReaderDropsAndCountsInsteadOfBlocking()
    {
        const int events = 50_000;
        using var gate = new ManualResetEventSlim(false);
        var sink = new CountingSink("all");
        var pipeline = new FlowPipeline(new GatedEnricher(gate, TestFlows.Enricher()), [sink], new FlowPipelineOptions
        {
            BatchSize = 64,
            ReaderQueueBatches = 4,
            StageQueueBatches = 2,
        });

        byte[] good = Record(TestFlows.NewTcp());
        for (int i = 0; i < events; i++)
        {
            pipeline.Reader.OnRecord(good); // returns although enrichment is stuck
        }

        pipeline.Reader.Flush();
        gate.Set();
        await pipeline.CompleteAsync();

        var counters = pipeline.Counters;
        Assert.Equal(events, counters.RecordsRead);
        Assert.True(counters.PipelineQueueLost > 0);
        Assert.Equal(events, counters.Decoded + counters.PipelineQueueLost + counters.Malformed);
        Assert.Equal(counters.Decoded, sink.Count);
        Assert.Equal(counters.Decoded, pipeline.Sinks[0].Delivered);
    }

    [Fact]
    public async Task Pipeline_EnrichesNamesBeforeSinks()
    {
        var ring = new FlowRing(16);
        var pipeline = new FlowPipeline(TestFlows.Enricher(), [ring]);
        pipeline.Reader.OnRecord(Record(TestFlows.NewTcp()));
        await pipeline.CompleteAsync();

        var read = new FlowEvent[1];
        Assert.Equal(1, ring.Read(0, read, out _));
        Assert.Equal("frontend", read[0].Source?.Name);
        Assert.Equal("api", read[0].Destination?.Name);
        Assert.Equal("allow-frontend", read[0].Policies?.Policies[0].Name);
        Assert.Equal("veth-api", read[0].InterfaceName);
        Assert.Equal(1UL, read[0].Sequence);
    }

    [Fact]
    public void FlowRing_OverwritesOldest_AndReportsWhereReadingStarted()
    {
        var ring = new FlowRing(4);
        var flows = Enumerable.Range(1, 6).Select(i => new FlowEvent { Sequence = (ulong)i }).ToArray();
        ring.Consume(flows);

        var read = new FlowEvent[10];
        int count = ring.Read(0, read, out long first);
        Assert.Equal(2, first);
        Assert.Equal(4, count);
        Assert.Equal([3UL, 4UL, 5UL, 6UL], read.Take(count).Select(f => f.Sequence));
        Assert.Equal(4, ring.Count);
        Assert.Equal(6, ring.Written);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 60 s");
            await Task.Delay(10);
        }
    }
}
