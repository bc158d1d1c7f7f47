using System.Runtime.InteropServices;

namespace Sluice.Bpf.Interop;

// Mirrors of libbpf 1.1's option structs (LIBBPF_OPTS). libbpf reads `sz` to learn which fields the
// caller knows about, so each Size constant must equal sizeof() in libbpf 1.1's headers exactly; the
// offsets and sizes below were taken from /usr/include/bpf/{libbpf,bpf}.h of libbpf-dev 1.1.2 on
// x86-64 and are asserted by the binding tests (InteropLayoutTests).

/// <summary><c>struct bpf_object_open_opts</c> (libbpf.h), 80 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct BpfObjectOpenOptions
{
    internal const int Size = 80;

    [FieldOffset(0)] internal nuint Sz;
    [FieldOffset(8)] internal byte* ObjectName;
    [FieldOffset(16)] internal byte RelaxedMaps;
    [FieldOffset(24)] internal byte* PinRootPath;
    [FieldOffset(40)] internal byte* KernelConfig;
    [FieldOffset(48)] internal byte* BtfCustomPath;
    [FieldOffset(56)] internal byte* KernelLogBuffer;
    [FieldOffset(64)] internal nuint KernelLogSize;
    [FieldOffset(72)] internal uint KernelLogLevel;
}

/// <summary><c>struct bpf_test_run_opts</c> (bpf.h), 80 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct BpfTestRunOptions
{
    internal const int Size = 80;

    [FieldOffset(0)] internal nuint Sz;
    [FieldOffset(8)] internal void* DataIn;
    [FieldOffset(16)] internal void* DataOut;
    [FieldOffset(24)] internal uint DataSizeIn;
    [FieldOffset(28)] internal uint DataSizeOut;
    [FieldOffset(32)] internal void* ContextIn;
    [FieldOffset(40)] internal void* ContextOut;
    [FieldOffset(48)] internal uint ContextSizeIn;
    [FieldOffset(52)] internal uint ContextSizeOut;
    [FieldOffset(56)] internal uint ReturnValue;
    [FieldOffset(60)] internal int Repeat;
    [FieldOffset(64)] internal uint Duration;
    [FieldOffset(68)] internal uint Flags;
    [FieldOffset(72)] internal uint Cpu;
    [FieldOffset(76)] internal uint BatchSize;
}

/// <summary><c>struct bpf_tc_hook</c> (libbpf.h), 24 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct BpfTcHook
{
    internal const int Size = 24;

    /// <summary><c>BPF_TC_INGRESS</c>.</summary>
    internal const uint AttachIngress = 1;

    /// <summary><c>BPF_TC_EGRESS</c>.</summary>
    internal const uint AttachEgress = 2;

    [FieldOffset(0)] internal nuint Sz;
    [FieldOffset(8)] internal int Ifindex;
    [FieldOffset(12)] internal uint AttachPoint;
    [FieldOffset(16)] internal uint Parent;
}

/// <summary><c>struct bpf_tc_opts</c> (libbpf.h), 32 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct BpfTcOptions
{
    internal const int Size = 32;

    /// <summary><c>BPF_TC_F_REPLACE</c>.</summary>
    internal const uint FlagReplace = 1;

    [FieldOffset(0)] internal nuint Sz;
    [FieldOffset(8)] internal int ProgramFd;
    [FieldOffset(12)] internal uint Flags;
    [FieldOffset(16)] internal uint ProgramId;
    [FieldOffset(20)] internal uint Handle;
    [FieldOffset(24)] internal uint Priority;
}

/// <summary><c>struct bpf_map_batch_opts</c> (bpf.h), 24 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct BpfMapBatchOptions
{
    internal const int Size = 24;

    [FieldOffset(0)] internal nuint Sz;
    [FieldOffset(8)] internal ulong ElementFlags;
    [FieldOffset(16)] internal ulong Flags;
}

/// <summary>The leading fields of <c>struct bpf_map_info</c> (linux/bpf.h, 88 bytes in 6.x headers).</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct BpfMapInfo
{
    internal const int Size = 88;

    [FieldOffset(0)] internal uint Type;
    [FieldOffset(4)] internal uint Id;
    [FieldOffset(8)] internal uint KeySize;
    [FieldOffset(12)] internal uint ValueSize;
    [FieldOffset(16)] internal uint MaxEntries;
    [FieldOffset(20)] internal uint MapFlags;
    [FieldOffset(24)] internal fixed byte Name[16];
}

/// <summary>The fields of <c>struct bpf_prog_info</c> (linux/bpf.h) this library reads; the kernel
/// copies at most <see cref="Size"/> bytes back, so the shorter struct is safe to pass.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct BpfProgramInfo
{
    internal const int Size = 80;

    [FieldOffset(0)] internal uint Type;
    [FieldOffset(4)] internal uint Id;
    [FieldOffset(64)] internal fixed byte Name[16];
}

/// <summary><c>struct btf_type</c> (linux/btf.h): name offset, info word, size-or-type union.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BtfType
{
    internal uint NameOffset;
    internal uint Info;
    internal uint SizeOrType;

    internal readonly int Kind => (int)((Info >> 24) & 0x1f);

    internal readonly int MemberCount => (int)(Info & 0xffff);

    internal readonly bool KindFlag => (Info >> 31) != 0;
}

/// <summary><c>struct btf_member</c> (linux/btf.h), which follows a struct's <see cref="BtfType"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BtfMemberRecord
{
    internal uint NameOffset;
    internal uint Type;
    internal uint Offset;
}
