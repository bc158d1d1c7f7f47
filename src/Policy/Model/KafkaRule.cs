using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>rules.kafka</c> entry (deprecated beta upstream). Parsed, not enforced.</summary>
public sealed record KafkaRule
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>role</c>: <c>produce</c> or <c>consume</c>.</summary>
    public string? Role { get; init; }

    /// <summary><c>apiKey</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>apiVersion</c>.</summary>
    public string? ApiVersion { get; init; }

    /// <summary><c>clientID</c>.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>topic</c>.</summary>
    public string? Topic { get; init; }
}
