namespace Sluice.Policy.Labels;

/// <summary>
/// The well-known label sources. A label's source says where it came from; selectors may name a source
/// (<c>k8s:app</c>) or leave it out, which Cilium reads as the <c>any</c> source matching every source.
/// </summary>
public static class LabelSource
{
    /// <summary>Labels of Kubernetes pods and namespaces (and Sluice endpoints, which mimic pods).</summary>
    public const string Kubernetes = "k8s";

    /// <summary>Labels of the reserved identities (<c>reserved:host</c>, <c>reserved:world</c>, …).</summary>
    public const string Reserved = "reserved";

    /// <summary>Labels of CIDR identities (<c>cidr:10.0.0.0/8</c>).</summary>
    public const string Cidr = "cidr";

    /// <summary>The wildcard source: in a selector it matches a label of any source.</summary>
    public const string Any = "any";

    /// <summary>Labels whose source was not given when they were created.</summary>
    public const string Unspecified = "unspec";

    /// <summary>Whether <paramref name="candidate"/> is a source a selector key prefix may name.</summary>
    /// <remarks>Only these prefixes are split off a key; anything else before a colon stays part of the key,
    /// because Kubernetes label keys never contain a colon but a source-less key must not be misread.</remarks>
    public static bool IsKnown(string candidate) => candidate is Kubernetes or Reserved or Cidr or Any or Unspecified
        or "fqdn" or "container" or "cni" or "unspec";
}
