using System.Threading.Channels;
using Sluice.FlowExporter.Sinks;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>
/// Runs one <see cref="IFlowSink"/> behind its own bounded queue and counts what it delivered, what it
/// lost to a full queue and how many batches made the sink throw (a failing sink never stops the pipeline).
/// </summary>
public sealed class SinkRunner
{
    private readonly IFlowSink _sink;
    private readonly Channel<FlowBatch> _queue;
    private long _delivered;
    private long _lost;
    private long _failedBatches;

    internal SinkRunner(IFlowSink sink, int queueBatches)
    {
        _sink = sink;
        _queue = Channel.CreateBounded<FlowBatch>(new BoundedChannelOptions(queueBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The sink's name.</summary>
    public string Name => _sink.Name;

    /// <summary>Events handed to the sink.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    /// <summary>Events dropped because this sink's queue was full.</summary>
    public long Lost => Volatile.Read(ref _lost);

    /// <summary>Batches whose handling threw.</summary>
    public long FailedBatches => Volatile.Read(ref _failedBatches);

    /// <summary>Batches waiting in the queue.</summary>
    public int QueueDepth => _queue.Reader.CanCount ? _queue.Reader.Count : 0;

    internal void Offer(FlowBatch batch)
    {
        if (!_queue.Writer.TryWrite(batch))
        {
            Interlocked.Add(ref _lost, batch.Count);
            batch.Release();
        }
    }

    internal void Complete() => _queue.Writer.TryComplete();

    internal async Task RunAsync()
    {
        await foreach (var batch in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                _sink.Consume(batch.Span);
            }
#pragma warning disable CA1031 // A sink failure is counted and the sink keeps receiving (STYLE §4).
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failedBatches);
            }

            Interlocked.Add(ref _delivered, batch.Count);
            batch.Release();
        }

        try
        {
            _sink.Complete();
        }
#pragma warning disable CA1031 // Completion failures are counted like batch failures.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failedBatches);
        }
    }
}
