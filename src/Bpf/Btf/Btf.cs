using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>
/// Type information (BTF) from an object file, read with <c>btf__parse</c>. Tests use it to prove that a
/// C# struct mirrors its C definition field by field, straight from what clang emitted.
/// </summary>
public sealed unsafe class Btf : IDisposable
{
    private const uint KindStruct = 4;

    private readonly SafeBtfHandle handle;
    private readonly string path;

    private Btf(SafeBtfHandle handle, string path)
    {
        this.handle = handle;
        this.path = path;
    }

    /// <summary>Parses the BTF of an ELF object (its <c>.BTF</c> section) or of a raw BTF file.</summary>
    public static Btf ParseFile(string objectPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectPath);
        var pathBytes = Utf8.Terminated(objectPath);
        using var capture = LibbpfLog.BeginCapture();
        nint btf;
        fixed (byte* pathPointer = pathBytes)
        {
            btf = Libbpf.BtfParse(pathPointer, null);
        }

        if (btf == nint.Zero)
        {
            throw BpfException.FromLastError("parse BTF of", objectPath, capture.Text);
        }

        return new Btf(new SafeBtfHandle(btf), objectPath);
    }

    /// <summary>The layout of <c>struct <paramref name="name"/></c>, or null when the object has no such struct.</summary>
    public BtfStructLayout? FindStruct(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        var btf = handle.DangerousGetHandle();
        var nameBytes = Utf8.Terminated(name);
        int id;
        fixed (byte* namePointer = nameBytes)
        {
            id = Libbpf.BtfFindByNameKind(btf, namePointer, KindStruct);
        }

        if (id < 0)
        {
            if (id == -Errno.ENOENT)
            {
                return null;
            }

            throw new BpfException(-id, "find struct in BTF of", path);
        }

        var type = Libbpf.BtfTypeById(btf, (uint)id);
        var members = new List<BtfMember>(type->MemberCount);
        var records = (BtfMemberRecord*)(type + 1);
        for (var i = 0; i < type->MemberCount; i++)
        {
            var record = records[i];

            // With the kind flag set, the offset word packs the bitfield size in its top 8 bits (linux/btf.h BTF_MEMBER_BITFIELD_SIZE).
            var bitOffset = type->KindFlag ? record.Offset & 0xffffff : record.Offset;
            var bitfieldSize = type->KindFlag ? record.Offset >> 24 : 0;
            var size = Libbpf.BtfResolveSize(btf, record.Type);
            members.Add(new BtfMember(
                Utf8.Read(Libbpf.BtfNameByOffset(btf, record.NameOffset)) ?? string.Empty,
                bitOffset,
                size < 0 ? -1 : (int)size,
                bitfieldSize));
        }

        return new BtfStructLayout(name, (int)type->SizeOrType, members);
    }

    /// <summary>Frees the parsed BTF.</summary>
    public void Dispose() => handle.Dispose();
}
