namespace Sluice.Daemon.Configuration;

/// <summary>
/// The daemon's configuration could not be used: it holds every error found, so a user fixes them all in
/// one pass instead of one restart per mistake.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception for the errors found in <paramref name="file"/>.</summary>
    public ConfigurationException(string file, IReadOnlyList<ConfigError> errors)
        : base(FormatMessage(file, errors))
    {
        File = file;
        Errors = errors;
    }

    /// <summary>Creates an exception with a message and no per-key errors.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
        File = string.Empty;
        Errors = [];
    }

    /// <summary>Creates an exception with a message and an inner cause.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Errors = [];
    }

    /// <summary>Creates an exception with no message.</summary>
    public ConfigurationException()
        : this("invalid configuration")
    {
    }

    /// <summary>The file the errors were found in (empty when the options were built in code).</summary>
    public string File { get; }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string FormatMessage(string file, IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var header = $"{(file.Length == 0 ? "configuration" : file)}: {errors.Count} error(s)";
        return errors.Count == 0
            ? header
            : header + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + (file.Length == 0 ? e.ToString() : e.ToString(file))));
    }
}
