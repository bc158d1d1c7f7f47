namespace Sluice.FlowExporter.Enrichment;

/// <summary>
/// Cilium's reserved numeric identities (pkg/identity/numericidentity.go), which Sluice uses unchanged
/// (DESIGN §2 identity path) so flows and filters read the same as on a Cilium node.
/// </summary>
public static class ReservedIdentities
{
    /// <summary>The local host.</summary>
    public const uint Host = 1;

    /// <summary>Anything outside the cluster.</summary>
    public const uint World = 2;

    /// <summary>Label-derived identities start here.</summary>
    public const uint FirstUserIdentity = 256;

    private static readonly string?[] Names =
    [
        "unknown", "host", "world", "unmanaged", "health", "init", "remote-node", "kube-apiserver",
        "ingress", "world-ipv4", "world-ipv6", "overlay-to-encrypt",
    ];

    /// <summary>The reserved name of <paramref name="identity"/> (e.g. "world"), or null when it is not reserved.</summary>
    public static string? NameOf(uint identity) => identity < (uint)Names.Length ? Names[identity] : null;

    /// <summary>The <c>reserved:name</c> label of a reserved identity, or null.</summary>
    public static string? LabelOf(uint identity) =>
        identity is > 0 and < 12 ? "reserved:" + Names[identity] : null;
}
