using Sluice.Load.Harness;
using Xunit;

namespace Sluice.Load.Tests;

public sealed class WrkOutputTests
{
    // The report layout of wrk 4.x with --latency.
    private const string Report = """
        Running 8s test @ http://10.123.2.2:8080/
          1 threads and 16 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   311.52us  612.40us  21.03ms   97.12%
            Req/Sec    55.47k     3.12k   61.20k    71.25%
          Latency Distribution
             50%  194.00us
             75%  263.00us
             90%  389.00us
             99%    2.84ms
          441831 requests in 8.00s, 31.18MB read
        Requests/sec:  55226.38
        Transfer/sec:      3.90MB
        """;

    [Fact]
    public void Parse_LatencyReport_ReadsRateAndPercentilesInMilliseconds()
    {
        var parsed = WrkOutput.Parse(Report);

        Assert.Equal(55226.38, parsed.RequestsPerSecond, 2);
        Assert.Equal(0.194, parsed.P50Ms, 6);
        Assert.Equal(2.84, parsed.P99Ms, 6);
    }

    [Fact]
    public void Parse_SecondsUnit_ConvertsToMilliseconds()
    {
        var parsed = WrkOutput.Parse(Report.Replace("    2.84ms", "    1.20s", StringComparison.Ordinal));

        Assert.Equal(1200, parsed.P99Ms, 6);
    }

    [Theory]
    [InlineData("  Socket errors: connect 0, read 3, write 0, timeout 0")]
    [InlineData("  Non-2xx or 3xx responses: 12")]
    public void Parse_ErrorsReported_Throws(string errorLine)
    {
        var e = Assert.Throws<InvalidOperationException>(() => WrkOutput.Parse(Report + "\n" + errorLine));

        Assert.Contains(errorLine.Trim(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoReport_Throws() =>
        Assert.Throws<InvalidOperationException>(() => WrkOutput.Parse("unable to connect to 10.1.2.2:8080 Connection refused"));
}
