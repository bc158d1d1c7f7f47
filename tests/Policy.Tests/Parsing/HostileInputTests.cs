using System.Diagnostics;
using System.Text;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>Inputs built to exhaust the parser (alias bombs, deep nesting) end in a located error, quickly.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void AliasBomb_LimitError()
    {
        var text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            text.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var watch = Stopwatch.StartNew();
        var result = PolicyParser.ParseText(text.ToString(), "bomb.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.LimitExceeded, error.Code);
        Assert.Contains("expands to more than", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Location.Line, 6, 7);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void AliasesWithinLimit_Resolved()
    {
        const string text =
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\n" +
            "spec:\n  endpointSelector: &sel {matchLabels: {app: a}}\n  ingress:\n  - fromEndpoints: [*sel]\n  egress:\n  - toEndpoints: [*sel]\n";

        var result = PolicyParser.ParseText(text, "alias.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Equal("a", result.Documents[0].Rules[0].Egress![0].ToEndpoints![0].MatchLabels["app"]);
    }

    [Theory]
    [InlineData("deep.yaml")]
    [InlineData("deep.json")]
    public void DeepNesting_LimitOrSyntaxErrorNotCrash(string name)
    {
        var text = new string('[', 100_000) + new string(']', 100_000);

        var result = PolicyParser.ParseText(text, name);

        var error = Assert.Single(result.Diagnostics);
        Assert.True(error.IsError);
        Assert.Contains(error.Code, new[] { DiagnosticCodes.LimitExceeded, DiagnosticCodes.Syntax });
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void DeepYamlBlockNesting_LimitError()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            text.Append(' ', i).Append("k:\n");
        }

        var result = PolicyParser.ParseText(text.ToString(), "deep.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.LimitExceeded, error.Code);
        Assert.Contains("nesting deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComplexMappingKey_ErrorNotCrash()
    {
        var result = PolicyParser.ParseText("? [a, b]\n: c\n", "k.yaml");

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Message.Contains("mapping keys must be strings", StringComparison.Ordinal));
    }

    [Fact]
    public void LongGarbage_OnlyDiagnostics()
    {
        var random = new Random(1234);
        var alphabet = "{}[]:,-'\"\n\t #&*!|>%@`abc123.";
        for (var round = 0; round < 200; round++)
        {
            var chars = new char[random.Next(1, 400)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var yaml = PolicyParser.ParseText(text, "g.yaml");
            var json = PolicyParser.ParseText(text, "g.json");

            Assert.All(yaml.Diagnostics.Concat(json.Diagnostics), d => Assert.True(d.Location.Line >= 1, d.ToString()));
        }
    }
}
