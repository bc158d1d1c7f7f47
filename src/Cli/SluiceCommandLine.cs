using System.CommandLine;
using Sluice.Cli.Commands;
using Sluice.Cli.Daemon;

namespace Sluice.Cli;

/// <summary>
/// Builds the <c>sluice</c> command tree (DESIGN §4.1) and runs it with the given output writers, so
/// tests can run the real commands in-process and read what they print.
/// </summary>
internal static class SluiceCommandLine
{
    /// <summary>Exit code for success (also: validation passed, possibly with warnings).</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code when the input is invalid (policy errors, bad endpoints file, bad arguments).</summary>
    public const int ExitInvalid = 1;

    /// <summary>Creates the root command with every implemented subcommand.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Sluice: identity-aware network policy and flow visibility for Linux hosts.");
        root.Subcommands.Add(PolicyCommand.Create());
        root.Subcommands.Add(ObserveCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(EndpointListCommand.Create());
        root.Subcommands.Add(IdentityListCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the selected command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parseResult = CreateRootCommand().Parse(args);
        return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
