using System.Runtime.InteropServices;
using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>Descriptor plumbing shared by the ring-buffer readers.</summary>
internal static unsafe class RingBufferFds
{
    /// <summary>Duplicates the map fd (close-on-exec) so a reader owns its own reference to the ring.</summary>
    internal static SafeFdHandle Duplicate(BpfMap map)
    {
        var fd = map.Fd;
        if (fd < 0)
        {
            throw new InvalidOperationException($"Ring buffer {map.Name} is not loaded.");
        }

        var copy = Libc.Fcntl(fd, Libc.FcntlDupFdCloexec, 0);
        if (copy < 0)
        {
            throw new BpfException(Marshal.GetLastPInvokeError(), "duplicate fd of ring buffer", map.Name);
        }

        return new SafeFdHandle(copy);
    }

    /// <summary>An epoll instance watching <paramref name="mapFd"/> for readability (unconsumed data).</summary>
    internal static SafeFdHandle CreateEpoll(int mapFd, string mapName)
    {
        var epoll = Libc.EpollCreate1(Libc.EpollCloexec);
        if (epoll < 0)
        {
            throw new BpfException(Marshal.GetLastPInvokeError(), "create epoll for ring buffer", mapName);
        }

        var handle = new SafeFdHandle(epoll);
        var epollEvent = stackalloc byte[16];
        new Span<byte>(epollEvent, 16).Clear();
        *(uint*)epollEvent = Libc.EpollIn;
        if (Libc.EpollCtl(epoll, Libc.EpollCtlAdd, mapFd, epollEvent) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new BpfException(errno, "watch ring buffer with epoll", mapName);
        }

        return handle;
    }

    /// <summary>Waits for readability; false on timeout or EINTR.</summary>
    internal static bool Wait(SafeFdHandle epoll, int timeoutMs)
    {
        // Room for one event in either epoll_event layout (12 bytes packed on x86-64, 16 elsewhere).
        var events = stackalloc byte[16];
        var ready = Libc.EpollWait(epoll.Fd, events, 1, timeoutMs);
        if (ready < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
            {
                return false;
            }

            throw new BpfException(errno, "wait for ring buffer data", "(epoll)");
        }

        return ready > 0;
    }
}
