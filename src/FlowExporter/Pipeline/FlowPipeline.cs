using System.Threading.Channels;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Sinks;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>
/// The flow pipeline of DESIGN §2: reader → decode → enrich → fan-out → one runner per sink, joined by
/// bounded channels carrying batches. Feed it through <see cref="Reader"/> from the ring-buffer consumer;
/// call <see cref="CompleteAsync"/> to drain and stop.
/// </summary>
public sealed class FlowPipeline
{
    private readonly Task[] _tasks;

    /// <summary>Builds and starts the stages.</summary>
    public FlowPipeline(IFlowEnricher enricher, IEnumerable<IFlowSink> sinks, FlowPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(enricher);
        ArgumentNullException.ThrowIfNull(sinks);
        options ??= new FlowPipelineOptions();
        options.Validate();

        var raw = Channel.CreateBounded<RawRecordBatch>(new BoundedChannelOptions(options.ReaderQueueBatches)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var decoded = CreateStageChannel(options.StageQueueBatches);
        var enriched = CreateStageChannel(options.StageQueueBatches);

        Reader = new RingBufferRecordReader(raw.Writer, Counters, options.BatchSize);
        Sinks = [.. sinks.Select(s => new SinkRunner(s, options.SinkQueueBatchesByName.TryGetValue(s.Name, out int size) ? size : options.SinkQueueBatches))];

        var decode = new DecodeStage(raw.Reader, decoded.Writer, Counters, options.UnixOffsetNs);
        var enrich = new EnrichStage(decoded.Reader, enriched.Writer, enricher);
        var fanOut = new FanOutStage(enriched.Reader, Sinks);
        _tasks =
        [
            Task.Run(decode.RunAsync),
            Task.Run(enrich.RunAsync),
            Task.Run(fanOut.RunAsync),
            .. Sinks.Select(s => Task.Run(s.RunAsync)),
        ];
    }

    /// <summary>The entry point for kernel records.</summary>
    public RingBufferRecordReader Reader { get; }

    /// <summary>Counts at the reader and decoder.</summary>
    public PipelineCounters Counters { get; } = new();

    /// <summary>Per-sink delivery and loss counts.</summary>
    public IReadOnlyList<SinkRunner> Sinks { get; }

    /// <summary>True while no stage has failed.</summary>
    public bool IsHealthy => !_tasks.Any(t => t.IsFaulted);

    /// <summary>Stops accepting records, drains every stage and sink, and waits for them.</summary>
    public Task CompleteAsync()
    {
        Reader.Complete();
        return Task.WhenAll(_tasks);
    }

    private static Channel<FlowBatch> CreateStageChannel(int capacity) =>
        Channel.CreateBounded<FlowBatch>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
}
