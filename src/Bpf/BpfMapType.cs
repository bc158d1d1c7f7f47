using System.Diagnostics.CodeAnalysis;

namespace Sluice.Bpf;

/// <summary>BPF map types, numbered as <c>enum bpf_map_type</c> in include/uapi/linux/bpf.h.</summary>
[SuppressMessage("Design", "CA1028:Enum storage should be Int32", Justification = "Mirrors the kernel's __u32 map type.")]
public enum BpfMapType : uint
{
    /// <summary>BPF_MAP_TYPE_UNSPEC.</summary>
    Unspecified = 0,

    /// <summary>BPF_MAP_TYPE_HASH.</summary>
    Hash = 1,

    /// <summary>BPF_MAP_TYPE_ARRAY.</summary>
    Array = 2,

    /// <summary>BPF_MAP_TYPE_PROG_ARRAY.</summary>
    ProgramArray = 3,

    /// <summary>BPF_MAP_TYPE_PERF_EVENT_ARRAY.</summary>
    PerfEventArray = 4,

    /// <summary>BPF_MAP_TYPE_PERCPU_HASH.</summary>
    PercpuHash = 5,

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY.</summary>
    PercpuArray = 6,

    /// <summary>BPF_MAP_TYPE_STACK_TRACE.</summary>
    StackTrace = 7,

    /// <summary>BPF_MAP_TYPE_CGROUP_ARRAY.</summary>
    CgroupArray = 8,

    /// <summary>BPF_MAP_TYPE_LRU_HASH.</summary>
    LruHash = 9,

    /// <summary>BPF_MAP_TYPE_LRU_PERCPU_HASH.</summary>
    LruPercpuHash = 10,

    /// <summary>BPF_MAP_TYPE_LPM_TRIE.</summary>
    LpmTrie = 11,

    /// <summary>BPF_MAP_TYPE_ARRAY_OF_MAPS.</summary>
    ArrayOfMaps = 12,

    /// <summary>BPF_MAP_TYPE_HASH_OF_MAPS.</summary>
    HashOfMaps = 13,

    /// <summary>BPF_MAP_TYPE_DEVMAP.</summary>
    DevMap = 14,

    /// <summary>BPF_MAP_TYPE_SOCKMAP.</summary>
    SockMap = 15,

    /// <summary>BPF_MAP_TYPE_CPUMAP.</summary>
    CpuMap = 16,

    /// <summary>BPF_MAP_TYPE_XSKMAP.</summary>
    XskMap = 17,

    /// <summary>BPF_MAP_TYPE_SOCKHASH.</summary>
    SockHash = 18,

    /// <summary>BPF_MAP_TYPE_CGROUP_STORAGE.</summary>
    CgroupStorage = 19,

    /// <summary>BPF_MAP_TYPE_REUSEPORT_SOCKARRAY.</summary>
    ReuseportSockArray = 20,

    /// <summary>BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE.</summary>
    PercpuCgroupStorage = 21,

    /// <summary>BPF_MAP_TYPE_QUEUE.</summary>
    Queue = 22,

    /// <summary>BPF_MAP_TYPE_STACK.</summary>
    Stack = 23,

    /// <summary>BPF_MAP_TYPE_SK_STORAGE.</summary>
    SkStorage = 24,

    /// <summary>BPF_MAP_TYPE_DEVMAP_HASH.</summary>
    DevMapHash = 25,

    /// <summary>BPF_MAP_TYPE_STRUCT_OPS.</summary>
    StructOps = 26,

    /// <summary>BPF_MAP_TYPE_RINGBUF.</summary>
    RingBuf = 27,

    /// <summary>BPF_MAP_TYPE_INODE_STORAGE.</summary>
    InodeStorage = 28,

    /// <summary>BPF_MAP_TYPE_TASK_STORAGE.</summary>
    TaskStorage = 29,

    /// <summary>BPF_MAP_TYPE_BLOOM_FILTER.</summary>
    BloomFilter = 30,

    /// <summary>BPF_MAP_TYPE_USER_RINGBUF.</summary>
    UserRingBuf = 31,
}
