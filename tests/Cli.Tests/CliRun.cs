namespace Sluice.Cli.Tests;

/// <summary>What one CLI run printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the real <c>sluice</c> command tree in-process with captured output.</summary>
    public static CliRun InProcess(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = SluiceCommandLine.Run(args, output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>The non-empty lines of standard output.</summary>
    public IReadOnlyList<string> OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The non-empty lines of standard error.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
