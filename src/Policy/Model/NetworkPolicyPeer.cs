using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// One Kubernetes NetworkPolicy peer. Either <see cref="IpBlock"/> alone, or pod and/or namespace selectors
/// (both set = pods matching <see cref="PodSelector"/> in namespaces matching <see cref="NamespaceSelector"/>).
/// </summary>
public sealed record NetworkPolicyPeer
{
    /// <summary>Where the peer starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>podSelector</c>.</summary>
    public EndpointSelector? PodSelector { get; init; }

    /// <summary><c>namespaceSelector</c>.</summary>
    public EndpointSelector? NamespaceSelector { get; init; }

    /// <summary><c>ipBlock</c>.</summary>
    public IpBlock? IpBlock { get; init; }
}
