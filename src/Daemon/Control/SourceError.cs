namespace Sluice.Daemon.Control;

/// <summary>One error in a rejected file.</summary>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
/// <param name="Message">The error, including its field path.</param>
public sealed record SourceError(int Line, int Column, string Message);
