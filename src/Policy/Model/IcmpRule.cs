using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>icmps</c> entry: a list of ICMP types (OR).</summary>
public sealed record IcmpRule
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>fields</c> (at most 40).</summary>
    public IReadOnlyList<IcmpField> Fields { get; init; } = [];
}
