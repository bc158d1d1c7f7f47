using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary><c>log</c>: a string copied into flows that match the rule (parsed, not enforced).</summary>
public sealed record LogConfig
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>value</c>.</summary>
    public string Value { get; init; } = string.Empty;
}
