using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One Kubernetes NetworkPolicy egress rule. Null lists match everything; empty lists are treated the same by Kubernetes.</summary>
public sealed record NetworkPolicyEgressRule
{
    /// <summary>Where the rule starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>to</c>.</summary>
    public IReadOnlyList<NetworkPolicyPeer>? To { get; init; }

    /// <summary><c>ports</c>.</summary>
    public IReadOnlyList<NetworkPolicyPort>? Ports { get; init; }
}
