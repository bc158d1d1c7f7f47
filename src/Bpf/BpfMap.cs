using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>
/// A BPF map: either borrowed from a <see cref="BpfObject"/> (configurable before the object loads,
/// usable after, valid while the object is open) or owned through a pinned path
/// (<see cref="OpenPinned"/>, closed by <see cref="Dispose"/>).
/// </summary>
/// <remarks>
/// Every generic operation checks <c>sizeof(TKey)</c> and <c>sizeof(TValue)</c> against the map's key and
/// value sizes, so a C# struct that drifted from its C definition fails loudly instead of corrupting
/// memory. Element operations are safe to call from several threads (each is one bpf(2) syscall).
/// </remarks>
public sealed unsafe class BpfMap : IDisposable
{
    private readonly BpfObject? owner;
    private readonly SafeFdHandle? ownedFd;
    private readonly BpfMapInfo ownedInfo;
    private readonly string name;

    internal BpfMap(BpfObject owner, nint pointer)
    {
        this.owner = owner;
        Pointer = pointer;
        name = Utf8.Read(Libbpf.MapName(pointer)) ?? string.Empty;
    }

    private BpfMap(SafeFdHandle fd, BpfMapInfo info, string name)
    {
        ownedFd = fd;
        ownedInfo = info;
        this.name = name;
    }

    /// <summary>The map's name (for a pinned map: the kernel's name, at most 15 characters).</summary>
    public string Name => name;

    /// <summary>The map's file descriptor; negative before the owning object is loaded.</summary>
    public int Fd => ownedFd is not null ? OwnedFd() : Libbpf.MapFd(Borrowed());

    /// <summary>The map type.</summary>
    public BpfMapType Type => ownedFd is not null ? (BpfMapType)ownedInfo.Type : (BpfMapType)Libbpf.MapType(Borrowed());

    /// <summary>Key size in bytes.</summary>
    public uint KeySize => ownedFd is not null ? ownedInfo.KeySize : Libbpf.MapKeySize(Borrowed());

    /// <summary>Value size in bytes (per CPU, before rounding, for per-CPU maps).</summary>
    public uint ValueSize => ownedFd is not null ? ownedInfo.ValueSize : Libbpf.MapValueSize(Borrowed());

    /// <summary>Capacity in elements (in bytes for ring buffers).</summary>
    public uint MaxEntries => ownedFd is not null ? ownedInfo.MaxEntries : Libbpf.MapMaxEntries(Borrowed());

    /// <summary>The number of CPUs the kernel may ever bring up (<c>libbpf_num_possible_cpus</c>): the
    /// number of slots in a per-CPU map value.</summary>
    public static int PossibleCpuCount
    {
        get
        {
            var count = Libbpf.NumPossibleCpus();
            BpfException.ThrowIfFailed(count, "read possible CPUs from", "/sys/devices/system/cpu/possible");
            return count;
        }
    }

    internal nint Pointer { get; }

    private bool IsPerCpu => Type is BpfMapType.PercpuArray or BpfMapType.PercpuHash or BpfMapType.LruPercpuHash
        or BpfMapType.PercpuCgroupStorage;

    /// <summary>Opens a map pinned at <paramref name="path"/> on a bpffs; the returned map owns its fd.</summary>
    public static BpfMap OpenPinned(string path)
    {
        var fd = OpenPinnedFd(path, "map");
        try
        {
            var info = ReadMapInfo(fd, path);
            return new BpfMap(fd, info, Utf8.ReadFixed(info.Name, 16));
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Sets the capacity; only before the owning object is loaded.</summary>
    public void SetMaxEntries(uint maxEntries)
    {
        var map = BorrowedBeforeLoad(nameof(SetMaxEntries));
        BpfException.ThrowIfFailed(Libbpf.MapSetMaxEntries(map, maxEntries), "set max_entries of map", name);
    }

    /// <summary>
    /// Sets the initial contents of a global-data map (<c>.rodata</c>, <c>.data</c>, <c>.bss</c>) or of a
    /// single-element config map; only before load. <typeparamref name="T"/> must be exactly the map's value size.
    /// </summary>
    public void SetInitialValue<T>(in T value)
        where T : unmanaged
    {
        var map = BorrowedBeforeLoad(nameof(SetInitialValue));
        CheckSize<T>("value", ValueSize);
        fixed (T* pointer = &value)
        {
            BpfException.ThrowIfFailed(Libbpf.MapSetInitialValue(map, pointer, (nuint)sizeof(T)), "set initial value of map", name);
        }
    }

    /// <summary>
    /// Makes the object adopt the map pinned at <paramref name="pinPath"/> instead of creating a new one
    /// when it loads (<c>bpf_obj_get</c> + <c>bpf_map__reuse_fd</c>), so state survives a restart. Only before load;
    /// the load fails if the pinned map's type, sizes or flags differ from this map's definition.
    /// </summary>
    public void ReusePinned(string pinPath)
    {
        var map = BorrowedBeforeLoad(nameof(ReusePinned));
        using var fd = OpenPinnedFd(pinPath, "map");
        var pinned = ReadMapInfo(fd, pinPath);

        // libbpf 1.1's reuse_fd silently takes over the pinned map's definition, so a pin of another
        // map would be adopted without complaint; check it matches this map's definition first.
        var mismatches = new List<string>();
        Compare("type", (BpfMapType)pinned.Type, Type);
        Compare("key size", pinned.KeySize, KeySize);
        Compare("value size", pinned.ValueSize, ValueSize);
        Compare("max entries", pinned.MaxEntries, MaxEntries);
        Compare("flags", pinned.MapFlags, Libbpf.MapFlags(map));
        if (mismatches.Count > 0)
        {
            throw new BpfException(
                Errno.EINVAL,
                "reuse pinned map",
                $"{pinPath} for {name}",
                "the pinned map does not match this map's definition: " + string.Join("; ", mismatches));
        }

        // reuse_fd dups the descriptor, so ours can be closed right away.
        BpfException.ThrowIfFailed(Libbpf.MapReuseFd(map, fd.Fd), "reuse pinned map", $"{pinPath} for {name}");

        void Compare<T>(string what, T pinnedValue, T expected)
        {
            if (!EqualityComparer<T>.Default.Equals(pinnedValue, expected))
            {
                mismatches.Add($"{what} {pinnedValue} (pinned) vs {expected}");
            }
        }
    }

    /// <summary>Pins the map at <paramref name="path"/> on a bpffs (<c>bpf_obj_pin</c>); the map then outlives this process.</summary>
    public void Pin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pathBytes = Utf8.Terminated(path);
        fixed (byte* pathPointer = pathBytes)
        {
            BpfException.ThrowIfFailed(Libbpf.ObjectPin(LoadedFd(), pathPointer), $"pin map {name} at", path, PinHint);
        }
    }

    /// <summary>Removes the pin at <paramref name="path"/> (the map lives on while something still uses it).</summary>
    public void Unpin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pathBytes = Utf8.Terminated(path);
        fixed (byte* pathPointer = pathBytes)
        {
            if (Libc.Unlink(pathPointer) < 0)
            {
                throw new BpfException(Marshal.GetLastPInvokeError(), $"unpin map {name} from", path);
            }
        }
    }

    /// <summary>Looks up <paramref name="key"/>; false when it is absent.</summary>
    public bool TryLookup<TKey, TValue>(in TKey key, out TValue value)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        CheckSize<TValue>("value", ValueSize);
        if (IsPerCpu)
        {
            throw new ArgumentException($"Map {name} is per-CPU ({Type}); use TryLookupPerCpu.", nameof(key));
        }

        TValue result;
        int status;
        fixed (TKey* keyPointer = &key)
        {
            status = Libbpf.MapLookupElement(LoadedFd(), keyPointer, &result);
        }

        if (status == -Errno.ENOENT)
        {
            value = default;
            return false;
        }

        BpfException.ThrowIfFailed(status, "look up key in map", name);
        value = result;
        return true;
    }

    /// <summary>Creates or replaces the element for <paramref name="key"/> as <paramref name="flags"/> allow.</summary>
    public void Update<TKey, TValue>(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        CheckSize<TValue>("value", ValueSize);
        if (IsPerCpu)
        {
            throw new ArgumentException($"Map {name} is per-CPU ({Type}); use UpdatePerCpu.", nameof(value));
        }

        fixed (TKey* keyPointer = &key)
        fixed (TValue* valuePointer = &value)
        {
            BpfException.ThrowIfFailed(
                Libbpf.MapUpdateElement(LoadedFd(), keyPointer, valuePointer, (ulong)flags), "update element in map", name);
        }
    }

    /// <summary>Deletes <paramref name="key"/>: true when it was present, false when absent (ENOENT).</summary>
    public bool Delete<TKey>(in TKey key)
        where TKey : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        int status;
        fixed (TKey* keyPointer = &key)
        {
            status = Libbpf.MapDeleteElement(LoadedFd(), keyPointer);
        }

        if (status == -Errno.ENOENT)
        {
            return false;
        }

        BpfException.ThrowIfFailed(status, "delete element from map", name);
        return true;
    }

    /// <summary>
    /// Looks up a per-CPU element into <paramref name="perCpu"/> (one value per possible CPU; its length must
    /// be at least <see cref="PossibleCpuCount"/>). The kernel lays the slots out 8-byte aligned
    /// (kernel/bpf/syscall.c bpf_map_copy_value, round_up(value_size, 8)), which this unpacks.
    /// </summary>
    public bool TryLookupPerCpu<TKey, TValue>(in TKey key, Span<TValue> perCpu)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        CheckSize<TValue>("value", ValueSize);
        var cpus = RequirePerCpu(perCpu.Length, nameof(perCpu));
        var stride = RoundUp8(sizeof(TValue));
        var buffer = new byte[stride * cpus];
        int status;
        fixed (TKey* keyPointer = &key)
        fixed (byte* bufferPointer = buffer)
        {
            status = Libbpf.MapLookupElement(LoadedFd(), keyPointer, bufferPointer);
        }

        if (status == -Errno.ENOENT)
        {
            return false;
        }

        BpfException.ThrowIfFailed(status, "look up per-CPU key in map", name);
        for (var cpu = 0; cpu < cpus; cpu++)
        {
            perCpu[cpu] = MemoryMarshal.Read<TValue>(buffer.AsSpan(cpu * stride, sizeof(TValue)));
        }

        return true;
    }

    /// <summary>Writes one value per possible CPU for <paramref name="key"/> (length at least <see cref="PossibleCpuCount"/>).</summary>
    public void UpdatePerCpu<TKey, TValue>(in TKey key, ReadOnlySpan<TValue> perCpu, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        CheckSize<TValue>("value", ValueSize);
        var cpus = RequirePerCpu(perCpu.Length, nameof(perCpu));
        var stride = RoundUp8(sizeof(TValue));
        var buffer = new byte[stride * cpus];
        for (var cpu = 0; cpu < cpus; cpu++)
        {
            var slot = perCpu[cpu];
            MemoryMarshal.Write(buffer.AsSpan(cpu * stride, sizeof(TValue)), in slot);
        }

        fixed (TKey* keyPointer = &key)
        fixed (byte* bufferPointer = buffer)
        {
            BpfException.ThrowIfFailed(
                Libbpf.MapUpdateElement(LoadedFd(), keyPointer, bufferPointer, (ulong)flags), "update per-CPU element in map", name);
        }
    }

    /// <summary>
    /// A snapshot of the keys (<c>bpf_map_get_next_key</c> iteration). For hash maps, a key deleted
    /// concurrently makes the kernel restart from the first bucket, so under concurrent deletes a key can
    /// appear twice; duplicates are removed, comparing keys by their bytes (as the kernel does), so key
    /// structs with inline arrays work too.
    /// </summary>
    public IEnumerable<TKey> GetKeys<TKey>()
        where TKey : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        var fd = LoadedFd();
        var keys = new List<TKey>();
        var seen = new HashSet<TKey>(UnmanagedBytesComparer<TKey>.Instance);
        TKey current = default;
        TKey next;
        var status = Libbpf.MapGetNextKey(fd, null, &next);
        while (status == 0)
        {
            if (seen.Add(next))
            {
                keys.Add(next);
            }

            current = next;
            status = Libbpf.MapGetNextKey(fd, &current, &next);
        }

        if (status != -Errno.ENOENT)
        {
            BpfException.ThrowIfFailed(status, "iterate keys of map", name);
        }

        return keys;
    }

    /// <summary>
    /// Updates many elements in one syscall (<c>BPF_MAP_UPDATE_BATCH</c>); map types without batch support
    /// (the kernel answers ENOTSUPP/EOPNOTSUPP, e.g. LPM tries) and <see cref="MapUpdateFlags.NoExist"/> /
    /// <see cref="MapUpdateFlags.Exist"/> updates (which the batch syscall does not take) fall back to one
    /// update per element.
    /// Returns the number of elements written; on failure the exception says how many were written first.
    /// </summary>
    public int UpdateBatch<TKey, TValue>(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        CheckSize<TValue>("value", ValueSize);
        RejectPerCpuBatch();
        if (keys.Length != values.Length)
        {
            throw new ArgumentException($"{keys.Length} keys but {values.Length} values.", nameof(values));
        }

        if (keys.IsEmpty)
        {
            return 0;
        }

        var fd = LoadedFd();
        var options = BatchOptions();
        var count = (uint)keys.Length;
        int status;
        fixed (TKey* keyPointer = keys)
        fixed (TValue* valuePointer = values)
        {
            // The kernel's batch update takes no NOEXIST/EXIST element flags (only BPF_F_LOCK;
            // kernel/bpf/syscall.c generic_map_update_batch), so those go element by element.
            status = flags == MapUpdateFlags.Any
                ? Libbpf.MapUpdateBatch(fd, keyPointer, valuePointer, &count, &options)
                : -Errno.EOPNOTSUPP;
            if (IsUnsupported(status))
            {
                for (var i = 0; i < keys.Length; i++)
                {
                    var single = Libbpf.MapUpdateElement(fd, keyPointer + i, valuePointer + i, (ulong)flags);
                    if (single < 0)
                    {
                        throw new BpfException(-single, "update element in map", name, details: $"{i} of {keys.Length} elements were written before the failure");
                    }
                }

                return keys.Length;
            }
        }

        if (status < 0)
        {
            throw new BpfException(-status, "batch update map", name, details: $"{count} of {keys.Length} elements were written before the failure");
        }

        return (int)count;
    }

    /// <summary>
    /// Deletes many keys (<c>BPF_MAP_DELETE_BATCH</c>, or one by one where unsupported); absent keys are skipped.
    /// Returns the number of elements actually deleted.
    /// </summary>
    public int DeleteBatch<TKey>(ReadOnlySpan<TKey> keys)
        where TKey : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        RejectPerCpuBatch();
        var fd = LoadedFd();
        var options = BatchOptions();
        var deleted = 0;
        var start = 0;
        fixed (TKey* keyPointer = keys)
        {
            while (start < keys.Length)
            {
                var count = (uint)(keys.Length - start);
                var status = Libbpf.MapDeleteBatch(fd, keyPointer + start, &count, &options);
                if (IsUnsupported(status))
                {
                    return deleted + DeleteEach(fd, keyPointer + start, keys.Length - start);
                }

                deleted += (int)count;
                start += (int)count;
                if (status == -Errno.ENOENT)
                {
                    // The kernel stops at the first absent key (generic_map_delete_batch): skip it, go on.
                    start++;
                }
                else if (status < 0)
                {
                    throw new BpfException(-status, "batch delete from map", name, details: $"{deleted} elements were deleted before the failure");
                }
            }
        }

        return deleted;
    }

    /// <summary>
    /// Reads up to <c>min(keys.Length, values.Length)</c> elements (<c>BPF_MAP_LOOKUP_BATCH</c>, or key iteration
    /// plus lookups where unsupported) and returns how many were read. The batch walk is not a snapshot: the
    /// map may change while it runs.
    /// </summary>
    public int LookupBatch<TKey, TValue>(Span<TKey> keys, Span<TValue> values)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSize<TKey>("key", KeySize);
        CheckSize<TValue>("value", ValueSize);
        RejectPerCpuBatch();
        var capacity = Math.Min(keys.Length, values.Length);
        if (capacity == 0)
        {
            return 0;
        }

        var fd = LoadedFd();
        var options = BatchOptions();

        // The batch cursor is opaque: hash maps store a 4-byte bucket index, arrays a key; KeySize + 8 covers both.
        var tokenSize = (int)KeySize + 8;
        var inToken = stackalloc byte[tokenSize];
        var outToken = stackalloc byte[tokenSize];
        var read = 0;
        var first = true;
        fixed (TKey* keyPointer = keys)
        fixed (TValue* valuePointer = values)
        {
            while (read < capacity)
            {
                var count = (uint)(capacity - read);
                var status = Libbpf.MapLookupBatch(
                    fd, first ? null : inToken, outToken, keyPointer + read, valuePointer + read, &count, &options);
                if (first && IsUnsupported(status))
                {
                    return LookupEach(fd, keyPointer, valuePointer, capacity);
                }

                read += (int)count;
                if (status == -Errno.ENOENT)
                {
                    break;
                }

                BpfException.ThrowIfFailed(status, "batch look up map", name);
                new ReadOnlySpan<byte>(outToken, tokenSize).CopyTo(new Span<byte>(inToken, tokenSize));
                first = false;
            }
        }

        return read;
    }

    /// <summary>Closes an owned (pinned) map's fd; a borrowed map is closed with its object, so this does nothing.</summary>
    public void Dispose() => ownedFd?.Dispose();

    /// <summary>Opens a pinned object and checks it is a <paramref name="kind"/> ("map" or "program").</summary>
    internal static SafeFdHandle OpenPinnedFd(string path, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pathBytes = Utf8.Terminated(path);
        int fd;
        fixed (byte* pathPointer = pathBytes)
        {
            fd = Libbpf.ObjectGet(pathPointer);
        }

        BpfException.ThrowIfFailed(fd, $"open pinned {kind}", path, fd == -Errno.ENOENT ? $"nothing is pinned there (is a bpffs mounted at {Path.GetDirectoryName(path)}?)" : null);
        var handle = new SafeFdHandle(fd);

        // bpf_obj_get opens maps, programs and links alike, and bpf_obj_get_info_by_fd would happily fill a
        // map-info struct from a program; the kernel's fdinfo names the kind reliably
        // (kernel/bpf/syscall.c bpf_map_show_fdinfo prints "map_type:", bpf_prog_show_fdinfo "prog_type:").
        var expectedField = kind == "map" ? "map_type:" : "prog_type:";
        string fdInfo;
        try
        {
            fdInfo = File.ReadAllText($"/proc/self/fdinfo/{fd}");
        }
        catch (IOException)
        {
            fdInfo = expectedField;
        }

        if (!fdInfo.Contains(expectedField, StringComparison.Ordinal))
        {
            handle.Dispose();
            throw new BpfException(Errno.EINVAL, $"open pinned {kind}", path, $"the object pinned there is not a {kind}");
        }

        return handle;
    }

    internal const string PinHint = "the path must be on a mounted bpffs (mount -t bpf bpf /sys/fs/bpf), its directory must exist, and nothing may be pinned there yet";

    private static BpfMapInfo ReadMapInfo(SafeFdHandle fd, string path)
    {
        var info = default(BpfMapInfo);
        var length = (uint)BpfMapInfo.Size;
        BpfException.ThrowIfFailed(
            Libbpf.ObjectGetInfoByFd(fd.Fd, &info, &length), "read map info of", path, "the pinned object may not be a map");

        return info;
    }

    private static int RoundUp8(int size) => (size + 7) & ~7;

    private static bool IsUnsupported(int status) => status == -Errno.ENOTSUPP || status == -Errno.EOPNOTSUPP;

    private static BpfMapBatchOptions BatchOptions() => new() { Sz = BpfMapBatchOptions.Size };

    private int DeleteEach<TKey>(int fd, TKey* keys, int count)
        where TKey : unmanaged
    {
        var deleted = 0;
        for (var i = 0; i < count; i++)
        {
            var status = Libbpf.MapDeleteElement(fd, keys + i);
            if (status == 0)
            {
                deleted++;
            }
            else if (status != -Errno.ENOENT)
            {
                throw new BpfException(-status, "delete element from map", name, details: $"{deleted} elements were deleted before the failure");
            }
        }

        return deleted;
    }

    private int LookupEach<TKey, TValue>(int fd, TKey* keys, TValue* values, int capacity)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        var read = 0;
        TKey key;
        TKey next;
        var status = Libbpf.MapGetNextKey(fd, null, &next);
        while (status == 0 && read < capacity)
        {
            key = next;
            var lookup = Libbpf.MapLookupElement(fd, &key, values + read);
            if (lookup == 0)
            {
                keys[read++] = key;
            }
            else if (lookup != -Errno.ENOENT)
            {
                // ENOENT: deleted between next_key and lookup; not counted.
                BpfException.ThrowIfFailed(lookup, "look up key in map", name);
            }

            status = Libbpf.MapGetNextKey(fd, &key, &next);
        }

        if (status != 0 && status != -Errno.ENOENT)
        {
            BpfException.ThrowIfFailed(status, "iterate keys of map", name);
        }

        return read;
    }

    private int RequirePerCpu(int length, string parameterName)
    {
        if (!IsPerCpu)
        {
            throw new ArgumentException($"Map {name} is not per-CPU ({Type}).", parameterName);
        }

        var cpus = PossibleCpuCount;
        if (length < cpus)
        {
            throw new ArgumentException($"Per-CPU map {name} needs room for {cpus} values (possible CPUs); got {length}.", parameterName);
        }

        return cpus;
    }

    private void RejectPerCpuBatch()
    {
        if (IsPerCpu)
        {
            throw new NotSupportedException($"Batch operations on per-CPU map {name} are not supported by these overloads; use the per-CPU element operations.");
        }
    }

    private void CheckSize<T>(string what, uint expected)
        where T : unmanaged
    {
        if ((uint)sizeof(T) != expected)
        {
            throw new ArgumentException(
                $"Map {name} has {what} size {expected} bytes but {typeof(T).Name} is {sizeof(T)} bytes: the C# type does not mirror the map's C {what} type.");
        }
    }

    private nint Borrowed()
    {
        ObjectDisposedException.ThrowIf(owner!.IsClosed, owner);
        return Pointer;
    }

    private nint BorrowedBeforeLoad(string operation)
    {
        if (owner is null)
        {
            throw new InvalidOperationException($"{operation} applies to a map of an object before it loads; map {name} was opened from a pin.");
        }

        if (owner.IsLoaded)
        {
            throw new InvalidOperationException($"{operation} must be called before the object {owner.Name} is loaded (map {name}).");
        }

        return Borrowed();
    }

    private int OwnedFd()
    {
        ObjectDisposedException.ThrowIf(ownedFd!.IsClosed, this);
        return ownedFd.Fd;
    }

    private int LoadedFd()
    {
        var fd = Fd;
        if (fd < 0)
        {
            throw new InvalidOperationException($"Map {name} has no file descriptor yet: load its object ({owner?.Name}) first.");
        }

        return fd;
    }
}
