using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>headerMatches</c> entry of an HTTP rule.</summary>
public sealed record HeaderMatch
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>name</c> (required).</summary>
    public required string Name { get; init; }

    /// <summary><c>value</c>.</summary>
    public string? Value { get; init; }

    /// <summary><c>secret</c>.</summary>
    public SecretReference? Secret { get; init; }

    /// <summary><c>mismatch</c>: LOG, ADD, DELETE or REPLACE; null = deny on mismatch.</summary>
    public string? Mismatch { get; init; }
}
