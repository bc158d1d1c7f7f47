using Sluice.Daemon.Configuration;

namespace Sluice.Daemon.Endpoints;

/// <summary>The outcome of parsing an endpoints file.</summary>
/// <param name="File">The definitions; null when there were errors (a file applies completely or not at all).</param>
/// <param name="Errors">Every error, each with its key path and line:column.</param>
public sealed record EndpointsParseResult(EndpointsFile? File, IReadOnlyList<ConfigError> Errors);
