namespace Sluice.Bpf.Tests.Bindings;

public sealed class DefaultRingBufferReaderTests : RingBufferReaderTests
{
    protected override IRingBufferReader CreateReader(BpfMap ringBuffer, IRingBufferSink sink) => RingBufferReaders.Create(ringBuffer, sink);
}
