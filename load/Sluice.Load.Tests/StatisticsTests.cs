using Sluice.Load.Harness;
using Xunit;

namespace Sluice.Load.Tests;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(50, 5)]
    [InlineData(99, 10)]
    [InlineData(10, 1)]
    [InlineData(0, 1)]
    [InlineData(100, 10)]
    public void Percentile_NearestRank(double p, double expected) =>
        Assert.Equal(expected, Percentiles.Of([7, 3, 10, 1, 5, 2, 9, 4, 8, 6], p));

    [Fact]
    public void Percentile_Empty_IsNaN() => Assert.True(double.IsNaN(Percentiles.Of([], 50)));

    [Fact]
    public void SettledFrom_FlipWithStraggler_IsTheFirstAttemptOfTheFinalRun()
    {
        var attempts = new List<(TimeSpan, bool)>
        {
            (Ms(40), false), (Ms(0), true), (Ms(10), true), (Ms(20), false), (Ms(30), true), (Ms(50), false),
        };

        Assert.Equal(Ms(40), TcpProbe.SettledFrom(attempts, false));
        Assert.Equal(Ms(30), TcpProbe.SettledFrom(attempts.Where(a => a.Item1 < Ms(40)).ToList(), true));
    }

    [Fact]
    public void SettledFrom_LastAttemptDisagrees_IsNull() =>
        Assert.Null(TcpProbe.SettledFrom([(Ms(0), false), (Ms(10), true)], false));

    [Fact]
    public void CountRequestEnds_PipelinedAndSplitAcrossReads_CountsEachOnce()
    {
        int matched = 0;
        byte[] first = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r"u8.ToArray();
        byte[] second = "\nGET /x HTTP/1.1\r\n\r\n\r\r\n"u8.ToArray();

        int inFirst = TcpResponder.CountRequestEnds(first, ref matched);
        int inSecond = TcpResponder.CountRequestEnds(second, ref matched);

        Assert.Equal(1, inFirst);
        Assert.Equal(2, inSecond);
        Assert.Equal(2, matched); // the trailing "\r\n" is the start of a terminator
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
}
