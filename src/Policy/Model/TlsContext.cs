using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary><c>terminatingTLS</c>/<c>originatingTLS</c>. Parsed, not enforced.</summary>
public sealed record TlsContext
{
    /// <summary>Where the mapping starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>secret</c>.</summary>
    public SecretReference? Secret { get; init; }

    /// <summary><c>trustedCA</c>.</summary>
    public string? TrustedCA { get; init; }

    /// <summary><c>certificate</c>.</summary>
    public string? Certificate { get; init; }

    /// <summary><c>privateKey</c>.</summary>
    public string? PrivateKey { get; init; }
}
