using System.Diagnostics;
using System.Text.RegularExpressions;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Cli.Tests;

public sealed partial class PolicyValidateCommandTests : IDisposable
{
    private const string ValidPolicy = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: web}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: lb}}]
              toPorts: [{ports: [{port: "80", protocol: TCP}]}]
        """;

    // endPort below port on line 9: the error must point there, with its field path.
    private const string InvalidPolicy = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: web}}
          ingress:
            - toPorts:
                - ports:
                    - {port: "8080", endPort: 80, protocol: TCP}
        """;

    private const string L7Policy = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: web}}
          ingress:
            - toPorts:
                - ports: [{port: "80", protocol: TCP}]
                  rules:
                    http: [{method: GET}]
        """;

    private readonly TempDirectory _dir = new();

    [GeneratedRegex(@"^.+:\d+:\d+: error: .+$")]
    private static partial Regex ErrorLine();

    [Fact]
    public void Validate_ValidFile_ExitsZeroWithSummaryAndNoErrors()
    {
        var run = CliRun.InProcess("policy", "validate", _dir.Write("web.yaml", ValidPolicy));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Error);
        Assert.Equal("1 valid policy, 0 errors, 0 warnings, 0 notes", run.OutputLines[^1]);
    }

    [Fact]
    public void Validate_InvalidFile_ExitsOneWithFileLineColumnPathAndReasonOnStderr()
    {
        string path = _dir.Write("bad.yaml", InvalidPolicy);

        var run = CliRun.InProcess("policy", "validate", path);

        Assert.True(run.ExitCode == 1, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.Matches(ErrorLine(), line);
        Assert.StartsWith($"{path}:9:", line, StringComparison.Ordinal);
        Assert.Contains("spec.ingress[0].toPorts[0].ports[0].endPort", line, StringComparison.Ordinal);
        Assert.DoesNotContain("error", run.Output.Replace("1 error", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotEnforcedField_ExitsZeroAndListsTheWarningOnStdout()
    {
        string path = _dir.Write("l7.yaml", L7Policy);

        var run = CliRun.InProcess("policy", "validate", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Error);
        var warning = Assert.Single(run.OutputLines, l => l.Contains(": warning: ", StringComparison.Ordinal));
        Assert.StartsWith($"{path}:10:", warning, StringComparison.Ordinal);
        Assert.Contains("http", warning, StringComparison.Ordinal);
        Assert.EndsWith("1 warning, 0 notes", run.OutputLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Directory_ReportsEveryFileAndFailsWhenAnyIsInvalid()
    {
        _dir.Write("a/web.yaml", ValidPolicy);
        _dir.Write("a/b/bad.yaml", InvalidPolicy);
        _dir.Write("a/b/l7.yaml", L7Policy);

        var run = CliRun.InProcess("policy", "validate", Path.Combine(_dir.Path, "a"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Single(run.ErrorLines);
        Assert.Equal("2 valid policies, 1 error, 1 warning, 0 notes", run.OutputLines[^1]);
    }

    [Fact]
    public void Validate_SeveralPaths_AreAllRead()
    {
        var run = CliRun.InProcess("policy", "validate", _dir.Write("one.yaml", ValidPolicy), _dir.Write("two.yaml", L7Policy));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("2 valid policies", run.OutputLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingPath_ExitsOneNamingIt()
    {
        string missing = Path.Combine(_dir.Path, "nope.yaml");

        var run = CliRun.InProcess("policy", "validate", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{missing}: error: no such file or directory", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoArguments_IsAUsageError()
    {
        var run = CliRun.InProcess("policy", "validate");

        Assert.NotEqual(0, run.ExitCode);
        Assert.NotEmpty(run.Error);
    }

    [Fact]
    public void Validate_Corpus_PrintsOneStderrLinePerLoaderError()
    {
        string corpus = Environment.GetEnvironmentVariable("SLUICE_CORPUS_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(RepositoryRoot(), "tests", "corpus", "cilium-examples");
        Assert.True(Directory.Exists(corpus), $"corpus not found at {corpus}");
        var expected = PolicyLoader.LoadPaths([corpus]);

        var run = CliRun.InProcess("policy", "validate", corpus);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(expected.Diagnostics.Count(d => d.IsError), run.ErrorLines.Count);
        Assert.All(run.ErrorLines, l => Assert.Matches(ErrorLine(), l));
        Assert.Contains(run.OutputLines, l => l.Contains(": note: ", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, l => l.Contains(": warning: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("policy", "--help")]
    [InlineData("policy", "validate", "--help")]
    [InlineData("policy", "trace", "--help")]
    [InlineData("policy", "get", "--help")]
    [InlineData("observe", "--help")]
    [InlineData("status", "--help")]
    [InlineData("endpoint", "list", "--help")]
    [InlineData("identity", "list", "--help")]
    [InlineData("demo", "--help")]
    public void Help_IsPrintedForEveryCommand(params string[] args)
    {
        var run = CliRun.InProcess(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_FailsOnStderr()
    {
        var run = CliRun.InProcess("policy", "frobnicate");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("frobnicate", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AsAProcess_ExitCodesAndStreamsMatchTheContract()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "sluice.dll");
        Assert.True(File.Exists(dll), $"{dll} not built");
        string bad = _dir.Write("bad.yaml", InvalidPolicy);
        string good = _dir.Write("good.yaml", ValidPolicy);

        var (badExit, badOut, badErr) = RunProcess(dll, "policy", "validate", bad);
        var (goodExit, goodOut, goodErr) = RunProcess(dll, "policy", "validate", good);

        Assert.Equal(1, badExit);
        Assert.Matches(ErrorLine(), badErr.Trim());
        Assert.StartsWith($"{bad}:9:", badErr, StringComparison.Ordinal);
        Assert.Contains("0 valid policies, 1 error", badOut, StringComparison.Ordinal);
        Assert.Equal(0, goodExit);
        Assert.Empty(goodErr);
        Assert.Contains("1 valid policy, 0 errors", goodOut, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static (int Exit, string Output, string Error) RunProcess(string dll, params string[] args)
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
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("sluice did not exit within 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
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

        throw new InvalidOperationException("no Sluice.sln above the test directory");
    }
}
