using Sluice.Load.Harness;
using Xunit;

namespace Sluice.Load.Tests;

public sealed class LoadOptionsTests
{
    private static readonly HashSet<string> Known = ["rounds", "sluiced"];

    [Fact]
    public void Parse_KnownOptions_ReadsValuesAndDefaults()
    {
        var options = LoadOptions.Parse(["--rounds", "4"], Known);

        Assert.Equal(4, options.Int("rounds", 6));
        Assert.Equal(9, options.Int("changes", 9));
        Assert.EndsWith("src/Daemon/bin/Release/net10.0/sluiced.dll", options.DaemonDll, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOption_NamesItAndTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--round", "4"], Known));

        Assert.Contains("'--round'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--rounds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingValue_Throws() =>
        Assert.Contains("needs a value", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--rounds"], Known)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("many")]
    public void Int_NotAPositiveInteger_NamesTheOption(string value) =>
        Assert.Contains("--rounds", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--rounds", value], Known).Int("rounds", 1)).Message, StringComparison.Ordinal);
}
