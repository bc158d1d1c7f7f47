using System.Globalization;

namespace Sluice.Daemon.Configuration;

/// <summary>
/// Durations written as in Go and Kubernetes (<c>5s</c>, <c>250ms</c>, <c>1m30s</c>, <c>1.5h</c>): a
/// sequence of decimal numbers each followed by a unit (ns, us, µs, ms, s, m, h). A bare <c>0</c> is zero;
/// any other number needs a unit, so <c>5</c> is rejected rather than guessed as seconds.
/// </summary>
public static class DurationText
{
    /// <summary>Parses a duration; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        error = string.Empty;
        var s = text.AsSpan().Trim();
        if (s.Length == 0)
        {
            error = "is empty; expected a duration such as 5s";
            return false;
        }

        if (s is "0")
        {
            return true;
        }

        if (s[0] is '-' or '+')
        {
            error = $"'{text}' must not be signed; expected a duration such as 5s";
            return false;
        }

        decimal totalTicks = 0;
        while (s.Length > 0)
        {
            int n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.'))
            {
                n++;
            }

            if (n == 0 || !decimal.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                error = $"'{text}' is not a duration; expected a number followed by a unit (ns, us, ms, s, m, h), e.g. 5s";
                return false;
            }

            s = s[n..];
            int u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.')
            {
                u++;
            }

            decimal? ticksPerUnit = s[..u] switch
            {
                "ns" => 0.01m,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (ticksPerUnit is null)
            {
                error = u == 0
                    ? $"'{text}' is missing a unit; expected ns, us, ms, s, m or h (e.g. 5s)"
                    : $"'{text}' has unknown unit '{s[..u].ToString()}'; expected ns, us, ms, s, m or h";
                return false;
            }

            s = s[u..];
            totalTicks += value * ticksPerUnit.Value;
            if (totalTicks > TimeSpan.MaxValue.Ticks)
            {
                error = $"'{text}' is too long a duration";
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)Math.Round(totalTicks));
        return true;
    }

    /// <summary>The shortest text <see cref="TryParse"/> reads back as <paramref name="duration"/>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0";
        }

        var parts = new System.Text.StringBuilder();
        long ticks = duration.Ticks;
        foreach (var (unit, per) in new (string, long)[]
                 {
                     ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute), ("s", TimeSpan.TicksPerSecond),
                     ("ms", TimeSpan.TicksPerMillisecond), ("us", TimeSpan.TicksPerMicrosecond),
                 })
        {
            if (ticks >= per)
            {
                parts.Append(CultureInfo.InvariantCulture, $"{ticks / per}{unit}");
                ticks %= per;
            }
        }

        if (ticks > 0)
        {
            parts.Append(CultureInfo.InvariantCulture, $"{ticks * 100}ns");
        }

        return parts.ToString();
    }
}
