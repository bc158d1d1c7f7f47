using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One Kubernetes NetworkPolicy ingress rule. Null lists match everything; empty lists are treated the same by Kubernetes.</summary>
public sealed record NetworkPolicyIngressRule
{
    /// <summary>Where the rule starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>from</c>.</summary>
    public IReadOnlyList<NetworkPolicyPeer>? From { get; init; }

    /// <summary><c>ports</c>.</summary>
    public IReadOnlyList<NetworkPolicyPort>? Ports { get; init; }
}
