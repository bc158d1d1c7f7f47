using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// A <c>networking.k8s.io/v1</c> NetworkPolicy as Kubernetes defines it. Lists are null when absent and
/// empty when written as <c>[]</c>; Kubernetes gives them different meanings (an absent <c>from</c>
/// allows every source, an empty <c>ingress</c> list allows nothing).
/// </summary>
public sealed record KubernetesNetworkPolicy
{
    /// <summary>Where the document starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>metadata.name</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>metadata.namespace</c>; null when absent (the engine applies its default).</summary>
    public string? Namespace { get; init; }

    /// <summary><c>spec.podSelector</c>: the pods of <see cref="Namespace"/> the policy applies to.</summary>
    public required EndpointSelector PodSelector { get; init; }

    /// <summary><c>spec.policyTypes</c>; null when absent (Kubernetes then infers Ingress, plus Egress when
    /// an egress section is present).</summary>
    public IReadOnlyList<NetworkPolicyType>? PolicyTypes { get; init; }

    /// <summary><c>spec.ingress</c>.</summary>
    public IReadOnlyList<NetworkPolicyIngressRule>? Ingress { get; init; }

    /// <summary><c>spec.egress</c>.</summary>
    public IReadOnlyList<NetworkPolicyEgressRule>? Egress { get; init; }
}
