namespace Sluice.Daemon.Control;

/// <summary>A file whose latest version was rejected; the previous good version (if any) stays in force.</summary>
/// <param name="Path">The file.</param>
/// <param name="Errors">Its errors, each with line and column (0 when unknown).</param>
/// <param name="RejectedAt">When the version was rejected.</param>
public sealed record RejectedSource(string Path, IReadOnlyList<SourceError> Errors, DateTimeOffset RejectedAt);
