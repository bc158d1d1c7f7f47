using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sluice.Load.Harness;

/// <summary>Reads the daemon's kernel-side state from outside it: conntrack fill (bpftool) and Prometheus counters.</summary>
internal static partial class DatapathProbe
{
    /// <summary>Entries in the pinned conntrack map and its capacity, counted by dumping it with bpftool.</summary>
    public static (long Entries, long MaxEntries) ConntrackFill(LoadNetwork net)
    {
        string pin = Path.Combine(net.PinDir, "sluice_ct");
        string show = Cmd.Check("bpftool", "map", "show", "pinned", pin);
        long max = long.Parse(MaxEntries().Match(show).Groups[1].Value, CultureInfo.InvariantCulture);
        var (code, dump) = Cmd.Run(TimeSpan.FromMinutes(2), "bpftool", "-j", "map", "dump", "pinned", pin);
        if (code != 0)
        {
            throw new InvalidOperationException("bpftool map dump failed: " + dump[..Math.Min(500, dump.Length)]);
        }

        // One array element per map entry (with BTF each element also carries a "formatted" copy).
        using var json = JsonDocument.Parse(dump);
        return (json.RootElement.GetArrayLength(), max);
    }

    /// <summary>
    /// Sums of the Prometheus counters whose names start with each of <paramref name="names"/>, scraped from
    /// sluiced's /metrics inside the router namespace (the listener is on the router's loopback).
    /// </summary>
    public static Dictionary<string, double> Metrics(LoadNetwork net, params string[] names)
    {
        var (_, text) = Cmd.Run("ip", "netns", "exec", net.Router, "curl", "-s", "--max-time", "5", "http://127.0.0.1:9965/metrics");
        var sums = names.ToDictionary(n => n, _ => 0.0, StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            if (space <= 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue;
            }

            foreach (var name in names)
            {
                if (line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is '{' or ' '))
                {
                    sums[name] += value;
                }
            }
        }

        return sums;
    }

    /// <summary>The labelled series of a counter, e.g. hubble_lost_events_total{source="…"} → value.</summary>
    public static Dictionary<string, double> Series(LoadNetwork net, string name)
    {
        var (_, text) = Cmd.Run("ip", "netns", "exec", net.Router, "curl", "-s", "--max-time", "5", "http://127.0.0.1:9965/metrics");
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal))
            {
                int space = line.LastIndexOf(' ');
                result[line[(name.Length + 1)..line.LastIndexOf('}')]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    [GeneratedRegex(@"max_entries (\d+)")]
    private static partial Regex MaxEntries();
}
