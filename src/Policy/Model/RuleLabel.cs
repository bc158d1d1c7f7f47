using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One entry of a rule's <c>labels</c> list: <c>{key, value, source}</c>.</summary>
public sealed record RuleLabel
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>key</c>.</summary>
    public required string Key { get; init; }

    /// <summary><c>value</c> (empty when absent).</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary><c>source</c> (empty when absent).</summary>
    public string Source { get; init; } = string.Empty;
}
