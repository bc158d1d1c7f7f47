using System.Runtime.InteropServices;

namespace Sluice.Bpf.Interop;

/// <summary>Owns a file descriptor (a BPF map or program fd from <c>bpf_obj_get</c>, a dup, an epoll fd).</summary>
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle()
        : base(-1, ownsHandle: true)
    {
    }

    internal SafeFdHandle(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number; only meaningful while the handle is open.</summary>
    internal int Fd => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
