namespace Sluice.Bpf;

/// <summary>
/// The kernel's ring-buffer layout (kernel/bpf/ringbuf.c, include/uapi/linux/bpf.h), as seen through mmap
/// of the map fd: page 0 is the consumer page (consumer_pos at offset 0, writable by user space);
/// page 1 is the producer page (producer_pos at offset 0, read-only); the data pages follow, mapped twice
/// back to back so a record that wraps around the end reads as one contiguous span.
/// </summary>
internal static class RingBufferLayout
{
    /// <summary>Every record starts with this header: u32 length (with the flag bits below), u32 page offset.</summary>
    internal const int HeaderSize = 8;

    /// <summary>BPF_RINGBUF_BUSY_BIT: the producer reserved the record but has not committed it yet.</summary>
    internal const uint BusyBit = 1u << 31;

    /// <summary>BPF_RINGBUF_DISCARD_BIT: the producer discarded the record; skip it.</summary>
    internal const uint DiscardBit = 1u << 30;

    /// <summary>Record lengths are padded so every header is 8-byte aligned.</summary>
    internal static long RecordSpan(uint length) => (length + HeaderSize + 7) & ~7L;
}
