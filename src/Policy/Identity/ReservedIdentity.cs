namespace Sluice.Policy.Identities;

/// <summary>Cilium's reserved numeric identities (<c>pkg/identity/numericidentity.go</c>).</summary>
public static class ReservedIdentity
{
    /// <summary>"Any identity": used in map-state keys for rules that match every peer.</summary>
    public const uint Any = 0;

    /// <summary>The local node, including host-network workloads.</summary>
    public const uint Host = 1;

    /// <summary>Everything outside the cluster (single-stack).</summary>
    public const uint World = 2;

    /// <summary>Endpoints not managed by the agent.</summary>
    public const uint Unmanaged = 3;

    /// <summary>The local health-check endpoint.</summary>
    public const uint Health = 4;

    /// <summary>Endpoints whose identity is not resolved yet.</summary>
    public const uint Init = 5;

    /// <summary>All other nodes.</summary>
    public const uint RemoteNode = 6;

    /// <summary>The Kubernetes API server (also labelled remote-node).</summary>
    public const uint KubeApiServer = 7;

    /// <summary>The ingress proxy.</summary>
    public const uint Ingress = 8;

    /// <summary>IPv4 world (dual-stack).</summary>
    public const uint WorldIPv4 = 9;

    /// <summary>IPv6 world (dual-stack).</summary>
    public const uint WorldIPv6 = 10;

    /// <summary>Name → number for the reserved identities that have a label (<c>reserved:&lt;name&gt;</c>).</summary>
    public static IReadOnlyDictionary<string, uint> ByName { get; } = new Dictionary<string, uint>(StringComparer.Ordinal)
    {
        ["host"] = Host,
        ["world"] = World,
        ["unmanaged"] = Unmanaged,
        ["health"] = Health,
        ["init"] = Init,
        ["remote-node"] = RemoteNode,
        ["kube-apiserver"] = KubeApiServer,
        ["ingress"] = Ingress,
        ["world-ipv4"] = WorldIPv4,
        ["world-ipv6"] = WorldIPv6,
    };

    /// <summary>Whether the identity stands for traffic from outside the cluster (world or a CIDR identity).</summary>
    public static bool IsWorld(uint id) => id is World or WorldIPv4 or WorldIPv6 || IdentityScope.IsLocal(id);
}
