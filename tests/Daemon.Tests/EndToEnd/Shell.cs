using System.Diagnostics;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>Runs a command to completion and returns its exit code and output.</summary>
internal static class Shell
{
    public static (int ExitCode, string Output) Run(string file, params string[] args) => Run(TimeSpan.FromSeconds(20), file, args);

    public static (int ExitCode, string Output) Run(TimeSpan timeout, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Runs and throws with the output when the command fails.</summary>
    public static string Check(string file, params string[] args)
    {
        var (code, output) = Run(file, args);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
    }

    /// <summary>Runs a command inside a network namespace.</summary>
    public static (int ExitCode, string Output) InNetns(string netns, params string[] command) =>
        Run("ip", ["netns", "exec", netns, .. command]);
}
