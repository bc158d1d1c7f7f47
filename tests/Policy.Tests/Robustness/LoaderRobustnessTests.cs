using System.Diagnostics;
using System.Text;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Robustness;

/// <summary>
/// <see cref="PolicyLoader"/> over real directories holding what policy directories end up holding:
/// links that loop, dangling links, binary junk, invalid UTF-8, empty files, deep nesting, a named pipe.
/// The daemon watches such a directory, so every case must end, quickly, in diagnostics.
/// </summary>
public sealed class LoaderRobustnessTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "slc-loader-" + Guid.NewGuid().ToString("N")[..12]);

    public LoaderRobustnessTests()
    {
        Directory.CreateDirectory(_dir);
    }

    [Fact]
    public void Directory_WithHostileEntries_EndsInDiagnostics()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.CreateSymbolicLink(Path.Combine(_dir, "sub", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(_dir, "sub", "loop-up"), "../..");
        File.CreateSymbolicLink(Path.Combine(_dir, "dangling.yaml"), "/nonexistent/slc-policy.yaml");
        File.WriteAllBytes(Path.Combine(_dir, "garbage.yaml"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        File.WriteAllBytes(Path.Combine(_dir, "bad-utf8.yaml"), Encoding.UTF8.GetBytes("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\n").Concat(new byte[] { 0xff, 0xfe, 0x0a }).ToArray());
        File.WriteAllText(Path.Combine(_dir, "empty.yaml"), string.Empty);
        string deep = _dir;
        for (int i = 0; i < 40; i++)
        {
            deep = Path.Combine(deep, "d" + i);
        }

        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "deep policy ü.yaml"),
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: deep, namespace: x}\nspec: {endpointSelector: {}, ingress: [{}]}\n");

        var result = LoadWithin(Limit, _dir);

        Assert.Equal("deep", Assert.Single(result.Documents).Name);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.File.EndsWith("garbage.yaml", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.File.EndsWith("bad-utf8.yaml", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.File.EndsWith("dangling.yaml", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Diagnostics, d => d.Location.File.Contains("/loop/", StringComparison.Ordinal));
    }

    [Fact]
    public void Directory_WithANamedPipe_DoesNotBlock()
    {
        // Reading a FIFO blocks until a writer appears, which in a watched policy directory may be never.
        // The loader must not open anything but regular files (and links to them).
        string fifo = Path.Combine(_dir, "pipe.yaml");
        MakeFifo(fifo);
        File.WriteAllText(Path.Combine(_dir, "ok.yaml"),
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ok, namespace: x}\nspec: {endpointSelector: {}, ingress: [{}]}\n");
        try
        {
            var result = LoadWithin(TimeSpan.FromSeconds(10), _dir);

            Assert.Equal("ok", Assert.Single(result.Documents).Name);
        }
        finally
        {
            ReleaseFifoReaders(fifo);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static PolicyParseResult LoadWithin(TimeSpan limit, params string[] paths)
    {
        var load = Task.Run(() => PolicyLoader.LoadPaths(paths));
        Assert.True(load.Wait(limit), $"PolicyLoader.LoadPaths did not return within {limit.TotalSeconds} s");
        var result = load.Result;
        Assert.Equal(result.HasErrors, result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error));
        return result;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0, "mkfifo failed: " + mkfifo.StandardError.ReadToEnd());
    }

    /// <summary>Gives a reader stuck on the FIFO its end-of-file, so no thread outlives the test; a writer
    /// with nobody reading is killed by the timeout.</summary>
    private static void ReleaseFifoReaders(string path)
    {
        using var writer = Process.Start(new ProcessStartInfo("timeout", ["2", "sh", "-c", "exec 3>\"$0\"", path]))!;
        writer.WaitForExit();
    }
}
