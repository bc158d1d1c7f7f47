using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>
/// Reads a ring buffer directly from its memory mapping: no native callback per record, the sink is
/// called straight from the loop, and the consumer position is published once per pass instead of once
/// per record.
/// </summary>
/// <remarks>
/// Ordering: the producer publishes a record by clearing its busy bit with a release store after
/// writing the data, and advances producer_pos with a release store at reserve time
/// (kernel/bpf/ringbuf.c __bpf_ringbuf_reserve / bpf_ringbuf_commit). Reading producer_pos and each
/// header with acquire semantics (<see cref="Volatile"/>) therefore makes the record
/// bytes visible. Records are consumed strictly in order: a busy record stops the pass even if later ones
/// are committed, as the kernel requires. Writing consumer_pos (release) hands the space back to the producer.
/// </remarks>
public sealed unsafe class ManagedRingBufferReader : IRingBufferReader
{
    private readonly IRingBufferSink sink;
    private readonly SafeFdHandle mapFd;
    private readonly SafeFdHandle epollFd;
    private readonly nuint pageSize;
    private readonly nuint dataSize;
    private readonly long mask;
    private nint consumerPage;
    private nint producerPages;
    private bool disposed;

    /// <summary>Maps <paramref name="ringBuffer"/> (which must be loaded) for reading into <paramref name="sink"/>.</summary>
    public ManagedRingBufferReader(BpfMap ringBuffer, IRingBufferSink sink)
    {
        ArgumentNullException.ThrowIfNull(ringBuffer);
        ArgumentNullException.ThrowIfNull(sink);
        if (ringBuffer.Type != BpfMapType.RingBuf)
        {
            throw new ArgumentException($"Map {ringBuffer.Name} is a {ringBuffer.Type} map, not a ring buffer.", nameof(ringBuffer));
        }

        this.sink = sink;
        pageSize = (nuint)Environment.SystemPageSize;
        dataSize = ringBuffer.MaxEntries;

        // The kernel guarantees a power-of-two, page-aligned size (ringbuf_map_alloc checks it).
        Debug.Assert(BitOperations.IsPow2((ulong)dataSize), "ring size is a power of two");
        mask = (long)dataSize - 1;

        // Our own fd, so the reader stays valid even if the map's object is closed first.
        mapFd = RingBufferFds.Duplicate(ringBuffer);
        try
        {
            consumerPage = Libc.Mmap(nint.Zero, pageSize, Libc.ProtRead | Libc.ProtWrite, Libc.MapShared, mapFd.Fd, 0);
            if (consumerPage == Libc.MapFailed)
            {
                consumerPage = nint.Zero;
                throw new BpfException(Marshal.GetLastPInvokeError(), "mmap consumer page of ring buffer", ringBuffer.Name);
            }

            producerPages = Libc.Mmap(nint.Zero, pageSize + (2 * dataSize), Libc.ProtRead, Libc.MapShared, mapFd.Fd, (long)pageSize);
            if (producerPages == Libc.MapFailed)
            {
                producerPages = nint.Zero;
                throw new BpfException(Marshal.GetLastPInvokeError(), "mmap data pages of ring buffer", ringBuffer.Name);
            }

            epollFd = RingBufferFds.CreateEpoll(mapFd.Fd, ringBuffer.Name);
        }
        catch
        {
            Unmap();
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
            return Volatile.Read(ref ProducerPosition) - Volatile.Read(ref ConsumerPosition);
        }
    }

    private ref long ConsumerPosition => ref *(long*)consumerPage;

    private ref long ProducerPosition => ref *(long*)producerPages;

    private byte* Data => (byte*)producerPages + pageSize;

    /// <inheritdoc />
    public int Poll(int timeoutMs)
    {
        var delivered = Drain();
        if (delivered > 0 || timeoutMs == 0)
        {
            return delivered;
        }

        // Level-triggered: ringbuf_map_poll_user reports EPOLLIN whenever unconsumed data exists, so data
        // that arrived between Drain and this wait is not missed.
        if (!RingBufferFds.Wait(epollFd, timeoutMs))
        {
            return 0;
        }

        return Drain();
    }

    /// <summary>Delivers every record available now, up to one ring's worth of bytes; returns the number delivered.</summary>
    public int Drain()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var delivered = 0;
        var consumer = Volatile.Read(ref ConsumerPosition);

        // At most one ring's worth per call, so a producer that keeps up with us cannot keep Drain (and the
        // caller's cancellation checks) from returning.
        var limit = consumer + (long)dataSize;
        var data = Data;
        while (true)
        {
            var producer = Math.Min(Volatile.Read(ref ProducerPosition), limit);
            if (consumer >= producer)
            {
                return delivered;
            }

            var start = consumer;
            try
            {
                while (consumer < producer)
                {
                    var header = (uint*)(data + (consumer & mask));
                    var length = Volatile.Read(ref *header);
                    if ((length & RingBufferLayout.BusyBit) != 0)
                    {
                        break;
                    }

                    var payloadLength = length & ~(RingBufferLayout.BusyBit | RingBufferLayout.DiscardBit);
                    var payload = data + ((consumer + RingBufferLayout.HeaderSize) & mask);
                    consumer += RingBufferLayout.RecordSpan(payloadLength);
                    if ((length & RingBufferLayout.DiscardBit) == 0)
                    {
                        delivered++;
                        sink.OnRecord(new ReadOnlySpan<byte>(payload, (int)payloadLength));
                    }
                }
            }
            finally
            {
                // One release store per pass; it also covers a sink exception (that record counts as consumed).
                Volatile.Write(ref ConsumerPosition, consumer);
            }

            if (consumer == start)
            {
                // The oldest record is still busy (being written by a producer on another CPU).
                return delivered;
            }
        }
    }

    /// <summary>Unmaps the ring and closes the reader's descriptors.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        epollFd.Dispose();
        Unmap();
        mapFd.Dispose();
    }

    private void Unmap()
    {
        if (producerPages != nint.Zero)
        {
            _ = Libc.Munmap(producerPages, pageSize + (2 * dataSize));
            producerPages = nint.Zero;
        }

        if (consumerPage != nint.Zero)
        {
            _ = Libc.Munmap(consumerPage, pageSize);
            consumerPage = nint.Zero;
        }
    }
}
