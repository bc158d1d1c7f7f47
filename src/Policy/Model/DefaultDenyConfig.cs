using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary><c>enableDefaultDeny</c>: per direction, whether the rule puts its subjects into default deny. Null = unset.</summary>
public sealed record DefaultDenyConfig
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>ingress</c>; null when unset.</summary>
    public bool? Ingress { get; init; }

    /// <summary><c>egress</c>; null when unset.</summary>
    public bool? Egress { get; init; }
}
