using Sluice.Daemon.Configuration;
using Sluice.Daemon.Endpoints;
using Xunit;

namespace Sluice.Daemon.Tests.Configuration;

/// <summary>
/// Hostile or broken YAML in the daemon's own files (config, endpoints) must become located errors: the
/// daemon keeps running on its last good state, so a crash here would be a crash of the enforcer.
/// </summary>
public sealed class MalformedYamlTests
{
    public static TheoryData<string> HostileTexts() => new()
    {
        // YamlDotNet's scanner throws InvalidOperationException (not YamlException) on this flow collection.
        "endpoints: [10.{10.0.2, x]",
        "nodeName: [10.{10.0.2, x]",
        // Deep nesting: the recursive node loader would overflow the stack, which cannot be caught.
        new string('[', 200_000),
        "a: " + string.Concat(Enumerable.Repeat("{b: ", 50_000)),
        "- " + string.Concat(Enumerable.Repeat("- ", 30_000)) + "x",
        // Plain syntax errors still report YamlDotNet's position.
        "endpoints:\n  - name: a\n   bad: indent",
        "\"unterminated",
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void ConfigParser_HostileYaml_ReportsErrorsAndDoesNotThrow(string text)
    {
        var result = SluiceConfigParser.Parse(text);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("invalid YAML", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 1, $"error without a line: {error}");
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void EndpointsParser_HostileYaml_ReportsErrorsAndDoesNotThrow(string text)
    {
        var result = EndpointsFileParser.Parse(text);

        Assert.Null(result.File);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("invalid YAML", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 1, $"error without a line: {error}");
    }

    [Fact]
    public void ConfigParser_NestingWithinLimit_IsParsedNormally()
    {
        // The depth check must not reject ordinary files: the deepest real config key is a few levels down.
        var result = SluiceConfigParser.Parse("grpc:\n  tls:\n    cert: \"\"\n    key: \"\"\n    clientCa: \"\"\n");

        Assert.Empty(result.Errors);
    }
}
