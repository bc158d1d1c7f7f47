using System.Runtime.InteropServices;

namespace Sluice.Bpf.Interop;

/// <summary>The few libc calls the bindings need beyond libbpf (x86-64 glibc).</summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    internal const int ProtRead = 0x1;
    internal const int ProtWrite = 0x2;
    internal const int MapShared = 0x01;
    internal static readonly nint MapFailed = -1;

    internal const int EpollCloexec = 0x80000;
    internal const int EpollCtlAdd = 1;
    internal const uint EpollIn = 0x001;

    internal const int FcntlDupFdCloexec = 1030;

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(nint address, nuint length);

    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);

    /// <param name="epollFd">The epoll instance.</param>
    /// <param name="operation">EPOLL_CTL_*.</param>
    /// <param name="fd">The watched descriptor.</param>
    /// <param name="epollEvent">A <c>struct epoll_event</c>: events at offset 0; the data word that follows is
    /// unused here, so a zeroed 16-byte buffer serves both the packed x86-64 and the aligned layouts.</param>
    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(int epollFd, int operation, int fd, void* epollEvent);

    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(int epollFd, void* events, int maxEvents, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "if_nametoindex", SetLastError = true)]
    internal static partial uint IfNameToIndex(byte* name);

    [LibraryImport(Library, EntryPoint = "if_indextoname", SetLastError = true)]
    internal static partial byte* IfIndexToName(uint index, byte* name);

    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true)]
    internal static partial int Unlink(byte* path);

    /// <summary><c>vsnprintf</c>; on x86-64 a <c>va_list</c> parameter decays to a pointer, so libbpf's print
    /// callback can hand its <c>va_list</c> straight through as <paramref name="arguments"/>.</summary>
    [LibraryImport(Library, EntryPoint = "vsnprintf")]
    internal static partial int VsnPrintf(byte* buffer, nuint size, byte* format, nint arguments);
}
