namespace Sluice.FlowExporter.Pipeline;

/// <summary>
/// Event counts at each edge of the pipeline, so every event is accounted for:
/// <c>RecordsRead = Malformed + PipelineQueueLost + Decoded</c> once the pipeline has drained, and for
/// each sink <c>Decoded = Delivered + Lost</c>. Kernel-side loss happens before the reader and is
/// reported separately from the datapath's counter map.
/// </summary>
public sealed class PipelineCounters
{
    private long _recordsRead;
    private long _malformed;
    private long _pipelineQueueLost;
    private long _decoded;
    private long _kernelLost;

    /// <summary>Records handed to the reader by the ring-buffer consumer.</summary>
    public long RecordsRead => Volatile.Read(ref _recordsRead);

    /// <summary>Records rejected by the decoder or of the wrong size.</summary>
    public long Malformed => Volatile.Read(ref _malformed);

    /// <summary>Records dropped because the reader's outgoing queue was full.</summary>
    public long PipelineQueueLost => Volatile.Read(ref _pipelineQueueLost);

    /// <summary>Records decoded and passed on to enrichment and the sinks.</summary>
    public long Decoded => Volatile.Read(ref _decoded);

    /// <summary>Events the kernel could not put in the ring buffer (from the datapath's loss counter).</summary>
    public long KernelLost => Volatile.Read(ref _kernelLost);

    internal void AddRead(long count) => Interlocked.Add(ref _recordsRead, count);

    internal void AddMalformed(long count) => Interlocked.Add(ref _malformed, count);

    internal void AddPipelineQueueLost(long count) => Interlocked.Add(ref _pipelineQueueLost, count);

    internal void AddDecoded(long count) => Interlocked.Add(ref _decoded, count);

    // The kernel counter is cumulative; keep the highest value seen so a late read never goes backwards.
    internal void SetKernelLost(long total)
    {
        long current;
        do
        {
            current = Volatile.Read(ref _kernelLost);
            if (total <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _kernelLost, total, current) != current);
    }
}
