using System.Runtime.InteropServices;

namespace Sluice.Bpf.Interop;

/// <summary>Owns a <c>struct bpf_object *</c>; closing it unloads its programs and closes its map fds
/// (pinned maps and attached programs stay alive in the kernel).</summary>
internal sealed class SafeBpfObjectHandle : SafeHandle
{
    public SafeBpfObjectHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal SafeBpfObjectHandle(nint handle)
        : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Libbpf.ObjectClose(handle);
        return true;
    }
}
