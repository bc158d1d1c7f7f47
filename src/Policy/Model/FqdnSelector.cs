using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>A DNS name selector (<c>toFQDNs</c> entry or <c>rules.dns</c> entry): exactly one of the two fields.</summary>
public sealed record FqdnSelector
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>matchName</c>: an exact name.</summary>
    public string? MatchName { get; init; }

    /// <summary><c>matchPattern</c>: a wildcard pattern (<c>*</c>, <c>**.</c>).</summary>
    public string? MatchPattern { get; init; }
}
