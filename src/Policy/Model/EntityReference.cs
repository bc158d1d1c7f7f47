using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>An entity named in <c>fromEntities</c>/<c>toEntities</c>.</summary>
public sealed record EntityReference
{
    /// <summary>Where the value is.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The entity.</summary>
    public required Entity Entity { get; init; }

    /// <summary>The name as written (e.g. <c>remote-node</c>).</summary>
    public required string Name { get; init; }
}
