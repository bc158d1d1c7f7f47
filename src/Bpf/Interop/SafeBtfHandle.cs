using System.Runtime.InteropServices;

namespace Sluice.Bpf.Interop;

/// <summary>Owns a <c>struct btf *</c> returned by <c>btf__parse</c>.</summary>
internal sealed class SafeBtfHandle : SafeHandle
{
    public SafeBtfHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal SafeBtfHandle(nint handle)
        : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Libbpf.BtfFree(handle);
        return true;
    }
}
