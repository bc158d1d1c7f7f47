using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// <c>rules</c> of a port rule: at most one L7 kind. Parsed and validated, not enforced.
/// </summary>
public sealed record L7Rules
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>http</c>.</summary>
    public IReadOnlyList<HttpRule>? Http { get; init; }

    /// <summary><c>kafka</c>.</summary>
    public IReadOnlyList<KafkaRule>? Kafka { get; init; }

    /// <summary><c>dns</c>.</summary>
    public IReadOnlyList<FqdnSelector>? Dns { get; init; }

    /// <summary><c>l7proto</c>: name of a generic L7 parser.</summary>
    public string? L7Proto { get; init; }

    /// <summary><c>l7</c>: key/value rules for <see cref="L7Proto"/>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? L7 { get; init; }

    /// <summary>True when no kind has entries.</summary>
    public bool IsEmpty => (Http?.Count ?? 0) == 0 && (Kafka?.Count ?? 0) == 0 && (Dns?.Count ?? 0) == 0
        && string.IsNullOrEmpty(L7Proto) && (L7?.Count ?? 0) == 0;
}
