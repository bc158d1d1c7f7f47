namespace Sluice.Bpf.Abi;

/// <summary>
/// Names of the datapath's maps and programs in <c>sluice.bpf.o</c> (bpf/include/maps.h,
/// bpf/sluice.bpf.c). The daemon pins and fills maps by these names.
/// </summary>
public static class DatapathMaps
{
    /// <summary>The object file name, as copied beside assemblies under <c>bpf/</c>.</summary>
    public const string ObjectFileName = "sluice.bpf.o";

    /// <summary>Hash: ifindex (<see cref="uint"/>) → <see cref="EndpointEntry"/>.</summary>
    public const string Endpoints = "sluice_endpoints";

    /// <summary>LPM trie: <see cref="IpcacheKey"/> → <see cref="IpcacheValue"/>.</summary>
    public const string Ipcache = "sluice_ipcache";

    /// <summary>LPM trie: <see cref="PolicyKey"/> → <see cref="PolicyValue"/>.</summary>
    public const string Policy = "sluice_policy";

    /// <summary>LRU hash: <see cref="ConntrackKey"/> → <see cref="ConntrackValue"/>.</summary>
    public const string Conntrack = "sluice_ct";

    /// <summary>LRU hash: <see cref="FragmentKey"/> → <see cref="FragmentValue"/> (first fragments' transport fields).</summary>
    public const string Fragments = "sluice_frags";

    /// <summary>Per-CPU array indexed by <see cref="TrafficCounterIndex"/> → <see cref="TrafficCounter"/>.</summary>
    public const string Counters = "sluice_counters";

    /// <summary>Ring buffer of <see cref="FlowRecord"/>.</summary>
    public const string Events = "sluice_events";

    /// <summary>Per-CPU array, one <see cref="ulong"/>: records lost because the ring was full.</summary>
    public const string Lost = "sluice_lost";

    /// <summary>Per-CPU array of <see cref="ulong"/> indexed by <see cref="DebugCounter"/>.</summary>
    public const string Debug = "sluice_debug";

    /// <summary>The read-only data section holding <see cref="DatapathConfig"/>, set before load.</summary>
    public const string Config = ".rodata";

    /// <summary>The tc program for the host-side interface's ingress (packets from the endpoint).</summary>
    public const string FromEndpointProgram = "sluice_from_endpoint";

    /// <summary>The tc program for the host-side interface's egress (packets to the endpoint).</summary>
    public const string ToEndpointProgram = "sluice_to_endpoint";
}
