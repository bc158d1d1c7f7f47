using System.Collections.Concurrent;
using Sluice.FlowExporter.Decoding;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>
/// Kernel records copied out of the ring buffer, back to back at <see cref="FlowRecordDecoder.RecordSize"/>
/// stride. The copy lets the reader hand the ring space back to the kernel at once (the record span is
/// only valid during the callback) while decoding happens on another thread.
/// </summary>
public sealed class RawRecordBatch
{
    private static readonly ConcurrentQueue<RawRecordBatch> Pool = new();

    private RawRecordBatch(int capacity)
    {
        Capacity = capacity;
        Buffer = new byte[capacity * FlowRecordDecoder.RecordSize];
    }

    /// <summary>Records the batch can hold.</summary>
    public int Capacity { get; }

    /// <summary>Backing storage.</summary>
    public byte[] Buffer { get; }

    /// <summary>Records stored.</summary>
    public int Count { get; set; }

    /// <summary>The record at <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Record(int index) =>
        Buffer.AsSpan(index * FlowRecordDecoder.RecordSize, FlowRecordDecoder.RecordSize);

    /// <summary>Appends a record of exactly <see cref="FlowRecordDecoder.RecordSize"/> bytes.</summary>
    public void Add(ReadOnlySpan<byte> record)
    {
        record.CopyTo(Buffer.AsSpan(Count * FlowRecordDecoder.RecordSize));
        Count++;
    }

    /// <summary>Takes an empty batch.</summary>
    public static RawRecordBatch Rent(int capacity)
    {
        if (!Pool.TryDequeue(out var batch) || batch.Capacity < capacity)
        {
            batch = new RawRecordBatch(capacity);
        }

        batch.Count = 0;
        return batch;
    }

    /// <summary>Returns the batch to the pool.</summary>
    public void Return() => Pool.Enqueue(this);
}
