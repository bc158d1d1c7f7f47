using System.Net;
using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// A CIDR as written in the policy plus its parsed form. <see cref="Network"/> has host bits cleared
/// (<c>10.1.2.3/8</c> becomes <c>10.0.0.0/8</c>); a bare address in <c>fromCIDR</c>/<c>toCIDR</c> becomes a
/// host prefix (/32 or /128), as Cilium accepts it there.
/// </summary>
public sealed record CidrPrefix
{
    /// <summary>Where the value is.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The text as written.</summary>
    public required string Text { get; init; }

    /// <summary>The normalised prefix.</summary>
    public required IPNetwork Network { get; init; }
}
