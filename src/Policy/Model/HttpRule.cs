using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>rules.http</c> entry (extended POSIX regexes). Parsed, not enforced.</summary>
public sealed record HttpRule
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>path</c>.</summary>
    public string? Path { get; init; }

    /// <summary><c>method</c>.</summary>
    public string? Method { get; init; }

    /// <summary><c>host</c>.</summary>
    public string? Host { get; init; }

    /// <summary><c>headers</c>.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary><c>headerMatches</c>.</summary>
    public IReadOnlyList<HeaderMatch> HeaderMatches { get; init; } = [];
}
