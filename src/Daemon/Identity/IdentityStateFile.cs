using System.Text.Json.Serialization;

namespace Sluice.Daemon.Identities;

/// <summary>The JSON document <see cref="IdentityAllocator"/> persists.</summary>
public sealed class IdentityStateFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Format version.</summary>
    [JsonPropertyName("version")]
    public int Version { get; set; }

    /// <summary>Allocations, ordered by number.</summary>
    [JsonPropertyName("identities")]
    public IReadOnlyList<IdentityStateEntry> Identities { get; set; } = [];
}
