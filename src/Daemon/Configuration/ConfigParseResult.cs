namespace Sluice.Daemon.Configuration;

/// <summary>The outcome of parsing a config: the options (defaults where unset or invalid) and every error.</summary>
/// <param name="Options">The options read; only meaningful when <paramref name="Errors"/> is empty.</param>
/// <param name="Errors">Every error found, each with its key path and line:column.</param>
public sealed record ConfigParseResult(SluiceOptions Options, IReadOnlyList<ConfigError> Errors);
