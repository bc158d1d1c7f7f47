using System.Runtime.InteropServices;

namespace Sluice.Bpf.Interop;

/// <summary>Owns a libbpf <c>struct ring_buffer *</c> (its epoll fd and mmaps).</summary>
internal sealed class SafeRingBufferHandle : SafeHandle
{
    public SafeRingBufferHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal SafeRingBufferHandle(nint handle)
        : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Libbpf.RingBufferFree(handle);
        return true;
    }
}
