using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Load.Harness;

/// <summary>
/// The figures of one `wrk --latency` run, read from its text report: "Requests/sec:" and the "Latency
/// Distribution" lines (value with a us/ms/s unit, as wrk's stats.c prints them).
/// </summary>
internal sealed partial record WrkOutput(double RequestsPerSecond, double P50Ms, double P99Ms)
{
    /// <summary>Parses wrk's report; a failed run, socket errors or non-2xx responses are errors.</summary>
    public static WrkOutput Parse(string output)
    {
        var rps = RequestsLine().Match(output);
        if (!rps.Success || output.Contains("Socket errors", StringComparison.Ordinal) || output.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk failed or saw errors:\n{output}");
        }

        return new WrkOutput(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), Latency(output, "50%"), Latency(output, "99%"));
    }

    /// <summary>A line of the "Latency Distribution" block, e.g. "     99%    2.31ms", in milliseconds.</summary>
    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, @"^\s*" + Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            throw new InvalidOperationException($"no {percentile} latency in wrk output:\n{output}");
        }

        double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, _ => value * 1000 };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsLine();
}
