using System.Threading.Channels;
using Sluice.FlowExporter.Decoding;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>
/// The reader stage: receives kernel records from the ring-buffer consumer (one callback per record, on
/// the consumer's thread), copies them into batches and hands full batches to the decode stage. It never
/// blocks the consumer: when the decode queue is full the batch is dropped and counted, because a
/// blocked consumer would make the kernel drop instead, uncounted per stage. Not thread-safe: one
/// consumer thread calls <see cref="OnRecord"/> and <see cref="Flush"/>.
/// </summary>
public sealed class RingBufferRecordReader : Sluice.Bpf.IRingBufferSink
{
    private readonly ChannelWriter<RawRecordBatch> _output;
    private readonly PipelineCounters _counters;
    private readonly int _batchSize;
    private RawRecordBatch? _current;

    internal RingBufferRecordReader(ChannelWriter<RawRecordBatch> output, PipelineCounters counters, int batchSize)
    {
        _output = output;
        _counters = counters;
        _batchSize = batchSize;
    }

    /// <summary>Takes one record; the span is only valid during the call.</summary>
    public void OnRecord(ReadOnlySpan<byte> record)
    {
        _counters.AddRead(1);
        if (record.Length != FlowRecordDecoder.RecordSize)
        {
            _counters.AddMalformed(1);
            return;
        }

        _current ??= RawRecordBatch.Rent(_batchSize);
        _current.Add(record);
        if (_current.Count == _batchSize)
        {
            Flush();
        }
    }

    /// <summary>Passes on a partly filled batch; call after each drain of the ring buffer so events do not wait.</summary>
    public void Flush()
    {
        var batch = _current;
        if (batch is null || batch.Count == 0)
        {
            return;
        }

        _current = null;
        if (!_output.TryWrite(batch))
        {
            _counters.AddPipelineQueueLost(batch.Count);
            batch.Return();
        }
    }

    /// <summary>Records the datapath's cumulative count of events it could not put in the ring buffer.</summary>
    public void ReportKernelLost(long total) => _counters.SetKernelLost(total);

    /// <summary>Flushes and tells the next stage no more records will come.</summary>
    public void Complete()
    {
        Flush();
        _output.TryComplete();
    }
}
