namespace Sluice.Policy.Identities;

/// <summary>Numeric identity ranges, as Cilium assigns them (the top 8 bits of an identity are its scope).</summary>
public static class IdentityScope
{
    /// <summary>The first identity allocated from labels (Cilium's MinimalNumericIdentity).</summary>
    public const uint FirstLabelIdentity = 256;

    /// <summary>Base of the node-local scope that holds CIDR identities (<c>1 &lt;&lt; 24</c>).</summary>
    public const uint LocalScopeBase = 1u << 24;

    /// <summary>Base of the remote-node scope (<c>2 &lt;&lt; 24</c>).</summary>
    public const uint RemoteNodeScopeBase = 2u << 24;

    /// <summary>Whether the identity is a node-local (CIDR) identity.</summary>
    public static bool IsLocal(uint id) => id >= LocalScopeBase && id < RemoteNodeScopeBase;
}
