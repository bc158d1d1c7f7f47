namespace Sluice.Bpf;

/// <summary>Chooses the ring-buffer reader implementation.</summary>
public static class RingBufferReaders
{
    /// <summary>
    /// Creates the faster reader for <paramref name="ringBuffer"/>: <see cref="ManagedRingBufferReader"/>.
    /// </summary>
    /// <remarks>
    /// Measured with <c>dotnet run -c Release --project bench/Bpf.Benchmarks -- ringbuf</c> on the 2-CPU
    /// development VM (docs/bench-bpf-bindings.md), best of 5 drains of a kernel-filled 128 MiB ring, per
    /// second of the drain thread's CPU time: 16-byte records, managed 370 M events/s vs libbpf 116 M/s;
    /// 64-byte records, managed 338 M/s vs libbpf 114 M/s. The managed reader wins because it calls the
    /// sink directly (no reverse P/Invoke per record) and publishes consumer_pos once per pass instead of
    /// once per record.
    /// </remarks>
    public static IRingBufferReader Create(BpfMap ringBuffer, IRingBufferSink sink) => new ManagedRingBufferReader(ringBuffer, sink);
}
