namespace Sluice.FlowExporter.Pipeline;

/// <summary>Sizes of the pipeline's batches and queues.</summary>
public sealed class FlowPipelineOptions
{
    /// <summary>Default events per batch.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>
    /// Default batches the reader may queue ahead of decoding: 1024 × 256 events absorb a quarter second of
    /// a 1 M events/s burst while the decode thread is descheduled, for at most 32 MiB of record copies.
    /// </summary>
    public const int DefaultReaderQueueBatches = 1024;

    /// <summary>Default batches queued between decode, enrich and fan-out.</summary>
    public const int DefaultStageQueueBatches = 16;

    /// <summary>Default batches each sink may queue.</summary>
    public const int DefaultSinkQueueBatches = 256;

    /// <summary>Events per batch.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Batches the reader may queue ahead of decoding; overflow is counted as pipeline-queue loss.</summary>
    public int ReaderQueueBatches { get; init; } = DefaultReaderQueueBatches;

    /// <summary>Batches queued between internal stages (these wait rather than drop).</summary>
    public int StageQueueBatches { get; init; } = DefaultStageQueueBatches;

    /// <summary>Batches each sink may queue; overflow is counted per sink.</summary>
    public int SinkQueueBatches { get; init; } = DefaultSinkQueueBatches;

    /// <summary>Queue sizes for particular sinks by <see cref="Sinks.IFlowSink.Name"/>; others use <see cref="SinkQueueBatches"/>.</summary>
    public IReadOnlyDictionary<string, int> SinkQueueBatchesByName { get; init; } = new Dictionary<string, int>();

    /// <summary>Added to kernel CLOCK_BOOTTIME timestamps to get Unix time (see <see cref="Decoding.MonotonicClock.BootTimeToUnixOffsetNs"/>).</summary>
    public long UnixOffsetNs { get; init; }

    /// <summary>Throws when a size is not positive.</summary>
    public void Validate()
    {
        Check(BatchSize, nameof(BatchSize));
        Check(ReaderQueueBatches, nameof(ReaderQueueBatches));
        Check(StageQueueBatches, nameof(StageQueueBatches));
        Check(SinkQueueBatches, nameof(SinkQueueBatches));

        static void Check(int value, string name)
        {
            if (value <= 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive");
            }
        }
    }
}
