namespace Sluice.Bpf.Tests.Bindings;

public sealed class LibbpfRingBufferReaderTests : RingBufferReaderTests
{
    protected override IRingBufferReader CreateReader(BpfMap ringBuffer, IRingBufferSink sink) => new LibbpfRingBufferReader(ringBuffer, sink);
}
