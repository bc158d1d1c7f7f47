using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>matchExpressions</c> term: <c>{key, operator, values}</c>.</summary>
public sealed record LabelSelectorRequirement
{
    /// <summary>Where the term starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>key</c>, verbatim (may carry a source prefix).</summary>
    public required string Key { get; init; }

    /// <summary><c>operator</c>.</summary>
    public required SelectorOperator Operator { get; init; }

    /// <summary><c>values</c>: non-empty for In/NotIn, empty for Exists/DoesNotExist.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];
}
