using System.Runtime.InteropServices;

namespace Sluice.Bpf.Interop;

/// <summary>
/// Entry points of Debian 12's libbpf 1.1 (<c>libbpf.so.1</c>). In libbpf 1.x every call reports
/// failure by returning a negative errno (integer results) or NULL with <c>errno</c> set (pointer
/// results), so pointer-returning functions capture errno with <c>SetLastError</c>.
/// </summary>
internal static unsafe partial class Libbpf
{
    private const string Library = "libbpf.so.1";

    // --- objects (libbpf.h) ---

    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", SetLastError = true)]
    internal static partial nint ObjectOpenFile(byte* path, BpfObjectOpenOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    internal static partial nint ObjectOpenMemory(void* buffer, nuint size, BpfObjectOpenOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    internal static partial int ObjectLoad(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_by_name")]
    internal static partial nint ObjectFindMapByName(nint obj, byte* name);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_program_by_name")]
    internal static partial nint ObjectFindProgramByName(nint obj, byte* name);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_map")]
    internal static partial nint ObjectNextMap(nint obj, nint previous);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_program")]
    internal static partial nint ObjectNextProgram(nint obj, nint previous);

    // --- maps owned by an object ---

    [LibraryImport(Library, EntryPoint = "bpf_map__name")]
    internal static partial byte* MapName(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    internal static partial int MapFd(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__type")]
    internal static partial uint MapType(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__key_size")]
    internal static partial uint MapKeySize(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__value_size")]
    internal static partial uint MapValueSize(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__max_entries")]
    internal static partial uint MapMaxEntries(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__map_flags")]
    internal static partial uint MapFlags(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__set_max_entries")]
    internal static partial int MapSetMaxEntries(nint map, uint maxEntries);

    [LibraryImport(Library, EntryPoint = "bpf_map__set_initial_value")]
    internal static partial int MapSetInitialValue(nint map, void* data, nuint size);

    [LibraryImport(Library, EntryPoint = "bpf_map__reuse_fd")]
    internal static partial int MapReuseFd(nint map, int fd);

    // --- programs owned by an object ---

    [LibraryImport(Library, EntryPoint = "bpf_program__name")]
    internal static partial byte* ProgramName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    internal static partial int ProgramFd(nint program);

    // --- raw syscall wrappers (bpf.h) ---

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem")]
    internal static partial int MapLookupElement(int fd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem")]
    internal static partial int MapUpdateElement(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem")]
    internal static partial int MapDeleteElement(int fd, void* key);

    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key")]
    internal static partial int MapGetNextKey(int fd, void* key, void* nextKey);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_batch")]
    internal static partial int MapUpdateBatch(int fd, void* keys, void* values, uint* count, BpfMapBatchOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_batch")]
    internal static partial int MapDeleteBatch(int fd, void* keys, uint* count, BpfMapBatchOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_batch")]
    internal static partial int MapLookupBatch(
        int fd, void* inBatch, void* outBatch, void* keys, void* values, uint* count, BpfMapBatchOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_obj_pin")]
    internal static partial int ObjectPin(int fd, byte* path);

    [LibraryImport(Library, EntryPoint = "bpf_obj_get")]
    internal static partial int ObjectGet(byte* path);

    [LibraryImport(Library, EntryPoint = "bpf_obj_get_info_by_fd")]
    internal static partial int ObjectGetInfoByFd(int fd, void* info, uint* infoLength);

    [LibraryImport(Library, EntryPoint = "bpf_prog_test_run_opts")]
    internal static partial int ProgramTestRun(int programFd, BpfTestRunOptions* options);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    internal static partial int NumPossibleCpus();

    // --- tc (netlink, in the calling thread's network namespace) ---

    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_create")]
    internal static partial int TcHookCreate(BpfTcHook* hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_destroy")]
    internal static partial int TcHookDestroy(BpfTcHook* hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_attach")]
    internal static partial int TcAttach(BpfTcHook* hook, BpfTcOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_detach")]
    internal static partial int TcDetach(BpfTcHook* hook, BpfTcOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_query")]
    internal static partial int TcQuery(BpfTcHook* hook, BpfTcOptions* options);

    // --- ring buffer consumer ---

    [LibraryImport(Library, EntryPoint = "ring_buffer__new", SetLastError = true)]
    internal static partial nint RingBufferNew(
        int mapFd, delegate* unmanaged[Cdecl]<void*, void*, nuint, int> sampleCallback, void* context, void* options);

    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    internal static partial void RingBufferFree(nint ringBuffer);

    [LibraryImport(Library, EntryPoint = "ring_buffer__poll")]
    internal static partial int RingBufferPoll(nint ringBuffer, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "ring_buffer__consume")]
    internal static partial int RingBufferConsume(nint ringBuffer);

    // --- BTF (btf.h) ---

    [LibraryImport(Library, EntryPoint = "btf__parse", SetLastError = true)]
    internal static partial nint BtfParse(byte* path, void* extensions);

    [LibraryImport(Library, EntryPoint = "btf__free")]
    internal static partial void BtfFree(nint btf);

    [LibraryImport(Library, EntryPoint = "btf__find_by_name_kind")]
    internal static partial int BtfFindByNameKind(nint btf, byte* name, uint kind);

    [LibraryImport(Library, EntryPoint = "btf__type_by_id")]
    internal static partial BtfType* BtfTypeById(nint btf, uint id);

    [LibraryImport(Library, EntryPoint = "btf__name_by_offset")]
    internal static partial byte* BtfNameByOffset(nint btf, uint offset);

    [LibraryImport(Library, EntryPoint = "btf__resolve_size")]
    internal static partial long BtfResolveSize(nint btf, uint typeId);

    // --- diagnostics ---

    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    internal static partial nint SetPrint(delegate* unmanaged[Cdecl]<int, byte*, nint, int> printFunction);
}
