using System.Diagnostics;

namespace Sluice.Bpf.Tests.Support;

/// <summary>Runs external commands (ip, tc, mount) for test set-up, failing loudly with their stderr.</summary>
public static class Command
{
    /// <summary>Runs <paramref name="program"/> and returns stdout; throws with stderr on a non-zero exit.</summary>
    public static string Run(string program, params string[] args)
    {
        var (exitCode, output, error) = Execute(program, args);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{program} {string.Join(' ', args)}' exited {exitCode}: {error.Trim()}");
        }

        return output;
    }

    /// <summary>Runs <paramref name="program"/>; returns whether it succeeded (for cleanup paths).</summary>
    public static bool TryRun(string program, params string[] args) => Execute(program, args).ExitCode == 0;

    private static (int ExitCode, string Output, string Error) Execute(string program, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
