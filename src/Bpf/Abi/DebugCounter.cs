namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_debug_counter</c>: indexes of the <c>sluice_debug</c> per-CPU array.</summary>
public enum DebugCounter : uint
{
    /// <summary>Packet on an interface without an endpoint entry (passed).</summary>
    NoEndpoint = 0,

    /// <summary>ARP passed without policy.</summary>
    PassL2 = 1,

    /// <summary>IPv6 neighbour discovery passed without policy.</summary>
    PassNeighbourDiscovery = 2,

    /// <summary>ICMP error related to a tracked flow (passed).</summary>
    Related = 3,

    /// <summary>Conntrack insert failed.</summary>
    ConntrackCreateFailed = 4,

    /// <summary>Established flow re-checked after a policy revision change.</summary>
    Recheck = 5,

    /// <summary>Entry found but stale: the flow was treated as new.</summary>
    ConntrackExpired = 6,

    /// <summary><c>bpf_skb_pull_data</c> failed.</summary>
    PullFailed = 7,

    /// <summary>A first fragment's ports were recorded for the later fragments.</summary>
    FragmentTracked = 8,

    /// <summary>A later fragment was given its first fragment's ports.</summary>
    FragmentMatched = 9,
}
