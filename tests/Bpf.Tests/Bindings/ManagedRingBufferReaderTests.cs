namespace Sluice.Bpf.Tests.Bindings;

public sealed class ManagedRingBufferReaderTests : RingBufferReaderTests
{
    protected override IRingBufferReader CreateReader(BpfMap ringBuffer, IRingBufferSink sink) => new ManagedRingBufferReader(ringBuffer, sink);
}
