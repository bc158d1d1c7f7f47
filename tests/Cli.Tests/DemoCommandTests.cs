using System.Diagnostics;
using Xunit;

namespace Sluice.Cli.Tests;

/// <summary>
/// Runs <c>sluice demo</c> for real, as the README's main job does: namespaces, a real sluiced, real traffic.
/// Needs root (it creates network namespaces and loads eBPF programs) and the daemon's build output.
/// </summary>
public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_AsAProcess_EnforcesShowsFlowsStatusMetricsAuditAndCleansUp()
    {
        string sluice = Path.Combine(AppContext.BaseDirectory, "sluice.dll");
        string sluiced = DaemonBuildOutput();
        Assert.True(File.Exists(sluiced), $"{sluiced} not built (dotnet build src/Daemon)");

        var (exit, output, error) = Run(sluice, "demo", "--sluiced", sluiced);

        Assert.True(exit == 0, $"sluice demo exited {exit}\nstdout:\n{output}\nstderr:\n{error}");

        // Reachability as the demo's policies say, observed on real connections.
        Assert.Contains("frontend -> api  tcp/8080 (allowed by api-from-frontend): CONNECTED", output, StringComparison.Ordinal);
        Assert.Contains("frontend -> api  tcp/9090 (no rule: default deny): BLOCKED", output, StringComparison.Ordinal);
        Assert.Contains("frontend -> api  udp/5353 (no rule: default deny): BLOCKED", output, StringComparison.Ordinal);
        Assert.Contains("outside  -> api  ping     (world not allowed): BLOCKED", output, StringComparison.Ordinal);
        Assert.Contains("api      -> db   tcp/5432 (allowed by db-from-api): CONNECTED", output, StringComparison.Ordinal);
        Assert.Contains("frontend -> db   tcp/5432 (explicit deny): BLOCKED", output, StringComparison.Ordinal);
        Assert.Contains("(would be denied: verdict AUDIT): CONNECTED", output, StringComparison.Ordinal);

        // Flows printed as compact lines, with both drop reasons.
        Assert.Contains("-> shop/api:9090 (ID:257) Policy denied DROPPED", output, StringComparison.Ordinal);
        Assert.Contains("Policy denied by denylist DROPPED", output, StringComparison.Ordinal);
        Assert.Contains("FORWARDED", output, StringComparison.Ordinal);

        // Status and metrics came from the running daemon.
        Assert.Contains("Policy revision:", output, StringComparison.Ordinal);
        Assert.Contains("shop/frontend", output, StringComparison.Ordinal);
        Assert.Contains("hubble_drop_total{reason=\"POLICY_DENY\",protocol=\"TCP\"}", output, StringComparison.Ordinal);

        // Nothing left behind.
        Assert.Contains("Cleaning up", output, StringComparison.Ordinal);
        var namespaces = Capture("ip", "netns", "list");
        Assert.DoesNotContain("slcdemo", namespaces, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "sluice-demo-*"), d => Directory.Exists(d));
    }

    /// <summary>sluiced.dll of the same build configuration as this test assembly (bin/&lt;cfg&gt;/net10.0).</summary>
    private static string DaemonBuildOutput()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = framework.Parent!.Name;
        return Path.Combine(RepositoryRoot(), "src", "Daemon", "bin", configuration, framework.Name, "sluiced.dll");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Sluice.sln above {AppContext.BaseDirectory}");
    }

    private static (int Exit, string Output, string Error) Run(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(240_000))
        {
            // SIGINT-like stop is what a user would do; the demo cleans up on it. Kill as the last resort.
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"sluice demo did not finish within 240 s\nstdout:\n{stdout.Result}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Capture(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }
}
