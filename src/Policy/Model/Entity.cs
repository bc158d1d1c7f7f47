namespace Sluice.Policy.Model;

/// <summary>Cilium's named peer classes (<c>fromEntities</c>/<c>toEntities</c>).</summary>
public enum Entity
{
    /// <summary><c>all</c>: everything, cluster and world.</summary>
    All,

    /// <summary><c>world</c>: everything outside the cluster.</summary>
    World,

    /// <summary><c>world-ipv4</c>: IPv4 world in dual-stack.</summary>
    WorldIPv4,

    /// <summary><c>world-ipv6</c>: IPv6 world in dual-stack.</summary>
    WorldIPv6,

    /// <summary><c>cluster</c>: every endpoint of the local cluster plus the reserved cluster identities.</summary>
    Cluster,

    /// <summary><c>host</c>: the local node.</summary>
    Host,

    /// <summary><c>remote-node</c>: every other node.</summary>
    RemoteNode,

    /// <summary><c>kube-apiserver</c>.</summary>
    KubeApiserver,

    /// <summary><c>ingress</c>: the ingress proxy.</summary>
    Ingress,

    /// <summary><c>init</c>: endpoints whose identity is not resolved yet.</summary>
    Init,

    /// <summary><c>health</c>: health-check endpoints.</summary>
    Health,

    /// <summary><c>unmanaged</c>: endpoints not managed by the agent.</summary>
    Unmanaged,

    /// <summary><c>none</c>: matches nothing.</summary>
    None,
}
