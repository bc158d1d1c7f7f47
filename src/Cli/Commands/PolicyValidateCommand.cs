using System.CommandLine;
using System.Globalization;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Parsing;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice policy validate FILE|DIR...</c>: parses and validates policy files (directories are read
/// recursively). Errors go to stderr as <c>file:line:col: error: path: message</c> and make the exit
/// code 1; warnings (fields parsed but not enforced) and notes (skipped non-policy documents) go to
/// stdout and leave the exit code 0.
/// </summary>
internal static class PolicyValidateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Policy files (.yaml, .yml, .json) or directories to validate.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Check policy files for errors; list fields that are parsed but not enforced.")
        {
            paths,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return Execute(parseResult.GetRequiredValue(paths), output, error);
        });
        return command;
    }

    /// <summary>Validates <paramref name="paths"/> and prints the findings; returns the exit code.</summary>
    public static int Execute(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        foreach (var path in missing)
        {
            error.WriteLine($"{path}: error: no such file or directory");
        }

        var result = PolicyLoader.LoadPaths(paths.Except(missing));
        int errors = 0, warnings = 0, notes = 0;
        foreach (var diagnostic in result.Diagnostics)
        {
            switch (diagnostic.Severity)
            {
                case DiagnosticSeverity.Error:
                    errors++;
                    error.WriteLine(diagnostic.ToString());
                    break;
                case DiagnosticSeverity.Warning:
                    warnings++;
                    output.WriteLine(diagnostic.ToString());
                    break;
                default:
                    notes++;
                    output.WriteLine(diagnostic.ToString());
                    break;
            }
        }

        errors += missing.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Documents.Count} valid polic{(result.Documents.Count == 1 ? "y" : "ies")}, {errors} error{Plural(errors)}, {warnings} warning{Plural(warnings)}, {notes} note{Plural(notes)}"));
        return errors > 0 || result.HasErrors ? SluiceCommandLine.ExitInvalid : SluiceCommandLine.ExitOk;
    }

    private static string Plural(int n) => n == 1 ? string.Empty : "s";
}
