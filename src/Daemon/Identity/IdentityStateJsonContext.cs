using System.Text.Json.Serialization;

namespace Sluice.Daemon.Identities;

/// <summary>Source-generated JSON metadata for the identity state file (no reflection at start-up).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(IdentityStateFile))]
internal sealed partial class IdentityStateJsonContext : JsonSerializerContext;
