using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// A Kubernetes label selector as written: <c>matchLabels</c> and <c>matchExpressions</c>, all ANDed.
/// Keys are kept verbatim, including any source prefix (<c>k8s:</c>, <c>reserved:</c>, <c>any:</c>);
/// their interpretation belongs to selector matching. An empty selector (<c>{}</c>) matches everything.
/// </summary>
public sealed record EndpointSelector
{
    /// <summary>Where the selector mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>matchLabels</c>: key → value, in source order.</summary>
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>matchExpressions</c>.</summary>
    public IReadOnlyList<LabelSelectorRequirement> MatchExpressions { get; init; } = [];

    /// <summary>True when the selector has no terms (it matches everything).</summary>
    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.Count == 0;
}
