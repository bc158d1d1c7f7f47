using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>toGroups</c>/<c>fromGroups</c> entry; only the <c>aws</c> provider exists. Parsed, not enforced.</summary>
public sealed record CloudGroup
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>aws.labels</c>.</summary>
    public IReadOnlyDictionary<string, string> AwsLabels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>aws.securityGroupsIds</c>.</summary>
    public IReadOnlyList<string> AwsSecurityGroupsIds { get; init; } = [];

    /// <summary><c>aws.securityGroupsNames</c>.</summary>
    public IReadOnlyList<string> AwsSecurityGroupsNames { get; init; } = [];

    /// <summary><c>aws.region</c>.</summary>
    public string? AwsRegion { get; init; }
}
