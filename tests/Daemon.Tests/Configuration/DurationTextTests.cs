using Sluice.Daemon.Configuration;
using Xunit;

namespace Sluice.Daemon.Tests.Configuration;

public sealed class DurationTextTests
{
    public static TheoryData<string, long> ValidCases => new()
    {
        { "0", 0 },
        { "5s", 5 * TimeSpan.TicksPerSecond },
        { "250ms", 250 * TimeSpan.TicksPerMillisecond },
        { "1m30s", 90 * TimeSpan.TicksPerSecond },
        { "1.5h", 90 * TimeSpan.TicksPerMinute },
        { "2h45m", 165 * TimeSpan.TicksPerMinute },
        { "10us", 100 },
        { "10µs", 100 },
        { "500ns", 5 },
        { " 7s ", 7 * TimeSpan.TicksPerSecond },
    };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void TryParse_ValidText_ReturnsDuration(string text, long ticks)
    {
        Assert.True(DurationText.TryParse(text, out var duration, out var error), error);
        Assert.Equal(ticks, duration.Ticks);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("5", "missing a unit")]
    [InlineData("s", "not a duration")]
    [InlineData("5d", "unknown unit 'd'")]
    [InlineData("-1s", "must not be signed")]
    [InlineData("1.2.3s", "not a duration")]
    [InlineData("99999999999h", "too long")]
    public void TryParse_InvalidText_ExplainsWhy(string text, string fragment)
    {
        Assert.False(DurationText.TryParse(text, out _, out var error));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1h2m3s")]
    [InlineData("5s")]
    [InlineData("1s500ms")]
    [InlineData("0")]
    public void Format_ParsedDuration_RoundTrips(string text)
    {
        Assert.True(DurationText.TryParse(text, out var duration, out _));
        Assert.Equal(text, DurationText.Format(duration));
    }
}
