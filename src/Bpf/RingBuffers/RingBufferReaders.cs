namespace Sluice.Bpf;

/// <summary>Chooses the ring-buffer reader implementation.</summary>
public static class RingBufferReaders
{
    /// <summary>
    /// Creates the faster reader for <paramref name="ringBuffer"/>: <see cref="ManagedRingBufferReader"/>.
    /// Measured with <c>dotnet run -c Release --project bench/Bpf.Benchmarks -- ringbuf</c> (see
    /// docs/bench-bpf-bindings.md): FIGURES_PENDING.
    /// </summary>
    public static IRingBufferReader Create(BpfMap ringBuffer, IRingBufferSink sink) => new ManagedRingBufferReader(ringBuffer, sink);
}
