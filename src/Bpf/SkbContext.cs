using System.Buffers.Binary;

namespace Sluice.Bpf;

/// <summary>
/// Builds and reads <c>struct __sk_buff</c> images (include/uapi/linux/bpf.h) for <see cref="BpfProgram.TestRun"/>
/// of tc programs. Offsets are the UAPI's, which is stable ABI. The kernel rejects a test-run context
/// with any field set other than mark, priority, ingress_ifindex, ifindex, cb[], tstamp, wire_len,
/// gso_segs, gso_size and hwtstamp (net/bpf/test_run.c convert___skb_to_skb).
/// </summary>
public static class SkbContext
{
    /// <summary>sizeof(struct __sk_buff).</summary>
    public const int Size = 192;

    /// <summary>Offset of <c>mark</c>.</summary>
    public const int MarkOffset = 8;

    /// <summary>Offset of <c>priority</c>.</summary>
    public const int PriorityOffset = 32;

    /// <summary>Offset of <c>ingress_ifindex</c>.</summary>
    public const int IngressIfindexOffset = 36;

    /// <summary>Offset of <c>ifindex</c>.</summary>
    public const int IfindexOffset = 40;

    /// <summary>Offset of <c>cb[0]</c> (five 32-bit words).</summary>
    public const int CbOffset = 48;

    /// <summary>Number of <c>cb</c> words.</summary>
    public const int CbLength = 5;

    /// <summary>Offset of <c>tstamp</c>.</summary>
    public const int TimestampOffset = 152;

    /// <summary>Offset of <c>wire_len</c>.</summary>
    public const int WireLengthOffset = 160;

    /// <summary>
    /// Returns a context image. <paramref name="ifindex"/> must name an interface in the calling thread's
    /// network namespace (the kernel looks it up and fails with ENODEV otherwise); 0 means loopback.
    /// </summary>
    public static byte[] Create(int ifindex = 0, int ingressIfindex = 0, uint mark = 0, uint priority = 0, ReadOnlySpan<uint> cb = default)
    {
        var image = new byte[Size];
        Write(image, ifindex, ingressIfindex, mark, priority, cb);
        return image;
    }

    /// <summary>Writes the given fields into <paramref name="image"/> (at least <see cref="Size"/> bytes).</summary>
    public static void Write(Span<byte> image, int ifindex = 0, int ingressIfindex = 0, uint mark = 0, uint priority = 0, ReadOnlySpan<uint> cb = default)
    {
        if (image.Length < Size)
        {
            throw new ArgumentException($"A __sk_buff image needs {Size} bytes; got {image.Length}.", nameof(image));
        }

        if (cb.Length > CbLength)
        {
            throw new ArgumentException($"__sk_buff has {CbLength} cb words; got {cb.Length}.", nameof(cb));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(image[MarkOffset..], mark);
        BinaryPrimitives.WriteUInt32LittleEndian(image[PriorityOffset..], priority);
        BinaryPrimitives.WriteInt32LittleEndian(image[IngressIfindexOffset..], ingressIfindex);
        BinaryPrimitives.WriteInt32LittleEndian(image[IfindexOffset..], ifindex);
        for (var i = 0; i < cb.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image[(CbOffset + (4 * i))..], cb[i]);
        }
    }

    /// <summary>Reads <c>mark</c>.</summary>
    public static uint Mark(ReadOnlySpan<byte> image) => BinaryPrimitives.ReadUInt32LittleEndian(Field(image, MarkOffset));

    /// <summary>Reads <c>priority</c>.</summary>
    public static uint Priority(ReadOnlySpan<byte> image) => BinaryPrimitives.ReadUInt32LittleEndian(Field(image, PriorityOffset));

    /// <summary>Reads <c>ifindex</c>.</summary>
    public static int Ifindex(ReadOnlySpan<byte> image) => BinaryPrimitives.ReadInt32LittleEndian(Field(image, IfindexOffset));

    /// <summary>Reads <c>ingress_ifindex</c>.</summary>
    public static int IngressIfindex(ReadOnlySpan<byte> image) => BinaryPrimitives.ReadInt32LittleEndian(Field(image, IngressIfindexOffset));

    /// <summary>Reads <c>cb[index]</c>.</summary>
    public static uint Cb(ReadOnlySpan<byte> image, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CbLength);
        return BinaryPrimitives.ReadUInt32LittleEndian(Field(image, CbOffset + (4 * index)));
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> image, int offset)
    {
        if (image.Length < Size)
        {
            throw new ArgumentException($"A __sk_buff image needs {Size} bytes; got {image.Length}.", nameof(image));
        }

        return image[offset..];
    }
}
