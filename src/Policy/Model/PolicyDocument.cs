using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// One accepted policy document: a CNP, CCNP, Kubernetes NetworkPolicy or a bare rule list.
/// Only documents without validation errors are returned by the parser.
/// </summary>
public sealed record PolicyDocument
{
    /// <summary>The envelope kind.</summary>
    public required PolicyKind Kind { get; init; }

    /// <summary><c>metadata.name</c>; for a <see cref="PolicyKind.RuleList"/>, a name derived from the file and document index.</summary>
    public required string Name { get; init; }

    /// <summary><c>metadata.namespace</c> for namespaced kinds; null for clusterwide policies and rule lists
    /// (a namespaced kind without a namespace is left null here; the engine applies its default).</summary>
    public string? Namespace { get; init; }

    /// <summary>Where the document starts.</summary>
    public required SourceLocation Source { get; init; }

    /// <summary>Zero-based index of the document inside its file (YAML <c>---</c> separated documents, or list items).</summary>
    public int DocumentIndex { get; init; }

    /// <summary>The Cilium rules: <c>spec</c> first (when present), then <c>specs</c> in order. Empty for Kubernetes NetworkPolicy.</summary>
    public required IReadOnlyList<PolicyRule> Rules { get; init; }

    /// <summary><c>metadata.labels</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The Kubernetes NetworkPolicy as written, when <see cref="Kind"/> is <see cref="PolicyKind.KubernetesNetworkPolicy"/>.</summary>
    public KubernetesNetworkPolicy? Kubernetes { get; init; }

    /// <summary>Fields that were parsed and validated but whose effect is not enforced; each was also reported as a warning.</summary>
    public IReadOnlyList<NotEnforcedFeature> NotEnforced { get; init; } = [];
}
