using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>A reference to a Kubernetes secret: <c>{namespace, name}</c>.</summary>
public sealed record SecretReference
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>namespace</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary><c>name</c> (required).</summary>
    public required string Name { get; init; }
}
