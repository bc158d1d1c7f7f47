using System.Text.Json.Serialization;

namespace Sluice.Daemon.Identities;

/// <summary>One persisted allocation: a number and its canonical labels.</summary>
public sealed class IdentityStateEntry
{
    /// <summary>The numeric identity.</summary>
    [JsonPropertyName("id")]
    public uint Id { get; set; }

    /// <summary>Labels as <c>source:key=value</c>, sorted.</summary>
    [JsonPropertyName("labels")]
    public IReadOnlyList<string> Labels { get; set; } = [];
}
