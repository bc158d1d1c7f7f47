using Sluice.Policy.Diagnostics;

namespace Sluice.Cli.Endpoints;

/// <summary>An endpoints file that cannot be used; <see cref="Errors"/> holds every problem found.</summary>
internal sealed class EndpointsFileException : Exception
{
    /// <summary>Creates the exception from the errors found (at least one).</summary>
    public EndpointsFileException(IReadOnlyList<Diagnostic> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Every error, each with file:line:column.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; }
}
