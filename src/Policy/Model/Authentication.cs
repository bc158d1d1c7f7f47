using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary><c>authentication</c>: mutual-authentication requirement (parsed, not enforced).</summary>
public sealed record Authentication
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>mode</c>.</summary>
    public required AuthenticationMode Mode { get; init; }
}
