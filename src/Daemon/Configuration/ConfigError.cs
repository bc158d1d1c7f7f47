using System.Globalization;

namespace Sluice.Daemon.Configuration;

/// <summary>
/// One problem found in a YAML file the daemon reads (its config or its endpoints file): where it is and
/// what is wrong. Line and column are 1-based; 0 means the position is not known (a value set in code).
/// </summary>
/// <param name="Path">The key path, e.g. <c>flows.log.maxSizeMb</c> or <c>endpoints[2].addresses[0]</c>.</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
/// <param name="Message">What is wrong, phrased so the user can fix it.</param>
public sealed record ConfigError(string Path, int Line, int Column, string Message)
{
    /// <summary><c>line:column: path: message</c> (the position is left out when unknown).</summary>
    public override string ToString() => Line > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}: {Path}: {Message}")
        : $"{Path}: {Message}";

    /// <summary>The error prefixed with the file it was found in: <c>file:line:column: path: message</c>.</summary>
    public string ToString(string file) => $"{file}:{this}";
}
