using System.Diagnostics;

namespace Sluice.Load.Harness;

/// <summary>Runs external commands (ip, tc, wrk, bpftool) to completion.</summary>
internal static class Cmd
{
    /// <summary>Runs a command and returns its exit code and combined output.</summary>
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

    /// <summary>Runs a command with a 30 s limit.</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] args) => Run(TimeSpan.FromSeconds(30), file, args);

    /// <summary>Runs a command and throws with its output when it fails.</summary>
    public static string Check(string file, params string[] args)
    {
        var (code, output) = Run(file, args);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output.Trim()}");
    }
}
