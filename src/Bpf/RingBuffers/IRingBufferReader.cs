namespace Sluice.Bpf;

/// <summary>
/// Drains a <c>BPF_MAP_TYPE_RINGBUF</c> map into an <see cref="IRingBufferSink"/> without allocating per
/// record. Single consumer: call Poll/Drain from one thread at a time.
/// </summary>
public interface IRingBufferReader : IDisposable
{
    /// <summary>Waits up to <paramref name="timeoutMs"/> ms (-1: forever, 0: not at all) for data, then drains;
    /// returns the number of records delivered (0 on timeout or when interrupted by a signal).</summary>
    int Poll(int timeoutMs);

    /// <summary>Delivers every record available now without waiting; returns the number delivered.</summary>
    int Drain();

    /// <summary>Bytes written by the producer and not yet consumed (record headers and padding included).</summary>
    long AvailableBytes { get; }
}
