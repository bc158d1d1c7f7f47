using System.Collections.Concurrent;
using System.Diagnostics;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>
/// A pooled array of <see cref="FlowEvent"/> moved between stages as one unit. The fan-out shares one
/// batch among all sinks with a reference count; the last sink to release it returns it to the pool, so
/// steady-state operation allocates no batches.
/// </summary>
public sealed class FlowBatch
{
    private static readonly ConcurrentQueue<FlowBatch> Pool = new();
    private int _references;

    private FlowBatch(int capacity) => Items = new FlowEvent[capacity];

    /// <summary>Backing array; entries [0, Count) are valid.</summary>
    public FlowEvent[] Items { get; private set; }

    /// <summary>Number of valid entries.</summary>
    public int Count { get; set; }

    /// <summary>The valid entries.</summary>
    public ReadOnlySpan<FlowEvent> Span => Items.AsSpan(0, Count);

    /// <summary>Takes an empty batch with room for at least <paramref name="capacity"/> events.</summary>
    public static FlowBatch Rent(int capacity)
    {
        if (!Pool.TryDequeue(out var batch))
        {
            batch = new FlowBatch(capacity);
        }
        else if (batch.Items.Length < capacity)
        {
            batch.Items = new FlowEvent[capacity];
        }

        batch.Count = 0;
        batch._references = 1;
        return batch;
    }

    /// <summary>Sets how many holders must call <see cref="Release"/> before the batch returns to the pool.</summary>
    public void SetReferences(int count)
    {
        Debug.Assert(count > 0, "a batch needs at least one holder");
        Volatile.Write(ref _references, count);
    }

    /// <summary>Drops one reference; the last one returns the batch to the pool.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        Debug.Assert(left >= 0, "batch released more often than referenced");
        if (left == 0)
        {
            Pool.Enqueue(this);
        }
    }
}
