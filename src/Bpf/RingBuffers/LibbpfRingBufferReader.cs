using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>
/// Reads a ring buffer through libbpf's consumer (<c>ring_buffer__new</c> / <c>__poll</c> / <c>__consume</c>):
/// libbpf walks the ring and calls back into managed code once per record.
/// </summary>
public sealed unsafe class LibbpfRingBufferReader : IRingBufferReader
{
    private readonly IRingBufferSink sink;
    private readonly SafeFdHandle mapFd;
    private readonly SafeRingBufferHandle ring;
    private readonly nuint pageSize;
    private readonly nint consumerPage;
    private readonly nint producerPage;
    private GCHandle self;
    private ExceptionDispatchInfo? sinkFailure;
    private bool disposed;

    /// <summary>Sets up libbpf's consumer for <paramref name="ringBuffer"/> (which must be loaded).</summary>
    public LibbpfRingBufferReader(BpfMap ringBuffer, IRingBufferSink sink)
    {
        ArgumentNullException.ThrowIfNull(ringBuffer);
        ArgumentNullException.ThrowIfNull(sink);
        if (ringBuffer.Type != BpfMapType.RingBuf)
        {
            throw new ArgumentException($"Map {ringBuffer.Name} is a {ringBuffer.Type} map, not a ring buffer.", nameof(ringBuffer));
        }

        this.sink = sink;
        mapFd = RingBufferFds.Duplicate(ringBuffer);
        self = GCHandle.Alloc(this);
        try
        {
            using var capture = LibbpfLog.BeginCapture();
            var pointer = Libbpf.RingBufferNew(mapFd.Fd, &OnSample, (void*)GCHandle.ToIntPtr(self), null);
            if (pointer == nint.Zero)
            {
                throw BpfException.FromLastError("create libbpf ring buffer consumer for", ringBuffer.Name, capture.Text);
            }

            ring = new SafeRingBufferHandle(pointer);

            // libbpf 1.1 has no ring__avail_data_size: map the two position pages read-only to report it.
            pageSize = (nuint)Environment.SystemPageSize;
            consumerPage = Libc.Mmap(nint.Zero, pageSize, Libc.ProtRead, Libc.MapShared, mapFd.Fd, 0);
            if (consumerPage == Libc.MapFailed)
            {
                var errno = Marshal.GetLastPInvokeError();
                ring.Dispose();
                throw new BpfException(errno, "mmap consumer page of ring buffer", ringBuffer.Name);
            }

            producerPage = Libc.Mmap(nint.Zero, pageSize, Libc.ProtRead, Libc.MapShared, mapFd.Fd, (long)pageSize);
            if (producerPage == Libc.MapFailed)
            {
                var errno = Marshal.GetLastPInvokeError();
                _ = Libc.Munmap(consumerPage, pageSize);
                ring.Dispose();
                throw new BpfException(errno, "mmap producer page of ring buffer", ringBuffer.Name);
            }
        }
        catch
        {
            self.Free();
            mapFd.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public long AvailableBytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return Volatile.Read(ref *(long*)producerPage) - Volatile.Read(ref *(long*)consumerPage);
        }
    }

    /// <inheritdoc />
    public int Poll(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var result = Libbpf.RingBufferPoll(ring.DangerousGetHandle(), timeoutMs);
        return Complete(result, "poll");
    }

    /// <inheritdoc />
    public int Drain()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var result = Libbpf.RingBufferConsume(ring.DangerousGetHandle());
        return Complete(result, "consume");
    }

    /// <summary>Frees libbpf's consumer and the reader's mappings and descriptors.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        ring.Dispose();
        _ = Libc.Munmap(consumerPage, pageSize);
        _ = Libc.Munmap(producerPage, pageSize);
        self.Free();
        mapFd.Dispose();
    }

    // libbpf advances consumer_pos past a record before calling back, so returning -1 after a sink
    // exception stops the walk without redelivering that record (tools/lib/bpf/ringbuf.c ringbuf_process_ring).
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnSample(void* context, void* data, nuint size)
    {
        var reader = (LibbpfRingBufferReader)GCHandle.FromIntPtr((nint)context).Target!;
        try
        {
            reader.sink.OnRecord(new ReadOnlySpan<byte>(data, (int)size));
            return 0;
        }
        catch (Exception exception)
        {
            reader.sinkFailure = ExceptionDispatchInfo.Capture(exception);
            return -1;
        }
    }

    private int Complete(int result, string operation)
    {
        var failure = sinkFailure;
        if (failure is not null)
        {
            sinkFailure = null;
            failure.Throw();
        }

        if (result == -Errno.EINTR)
        {
            return 0;
        }

        BpfException.ThrowIfFailed(result, $"{operation} ring buffer", "(libbpf consumer)");
        return result;
    }
}
