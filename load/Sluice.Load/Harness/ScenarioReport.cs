using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Load.Harness;

/// <summary>
/// A scenario's figures: named values with units and notes, target checks, and free-form detail rows (for
/// example one per round). Printed as a table and written as JSON to load/results/&lt;scenario&gt;.json with
/// the machine's load average before and after, so every figure carries the conditions it was taken under.
/// </summary>
internal sealed class ScenarioReport
{
    private readonly List<(string Name, double Value, string Unit, string Note)> _figures = [];
    private readonly List<(string Name, string Target, string Measured, bool Met)> _targets = [];
    private readonly JsonArray _details = [];
    private readonly string _loadBefore = LoadAverage();
    private readonly DateTime _started = DateTime.UtcNow;

    public ScenarioReport(string scenario, IReadOnlyList<string> arguments)
    {
        Scenario = scenario;
        Arguments = arguments;
    }

    public string Scenario { get; }

    public IReadOnlyList<string> Arguments { get; }

    public void Figure(string name, double value, string unit, string note = "") => _figures.Add((name, value, unit, note));

    public void Target(string name, string target, string measured, bool met) => _targets.Add((name, target, measured, met));

    /// <summary>A detail row (e.g. one round), printed as it arrives and kept in the JSON.</summary>
    public void Detail(JsonObject row)
    {
        _details.Add(row);
        Console.WriteLine("  " + row.ToJsonString());
    }

    /// <summary>Prints the table and writes the JSON file; returns its path.</summary>
    public string Finish(string resultsDir)
    {
        string loadAfter = LoadAverage();
        Console.WriteLine();
        Console.WriteLine($"== {Scenario} ({Environment.ProcessorCount} CPUs, load average before {_loadBefore}, after {loadAfter}) ==");
        int width = Math.Max(10, _figures.Select(f => f.Name.Length).DefaultIfEmpty(0).Max());
        foreach (var (name, value, unit, note) in _figures)
        {
            Console.WriteLine($"{name.PadRight(width)}  {Format(value),12} {unit,-8} {note}");
        }

        foreach (var (name, target, measured, met) in _targets)
        {
            Console.WriteLine($"target {name}: {target}; measured {measured} → {(met ? "MET" : "NOT MET")}");
        }

        var json = new JsonObject
        {
            ["scenario"] = Scenario,
            ["command"] = "dotnet run -c Release --project load/Sluice.Load -- " + string.Join(' ', Arguments),
            ["startedUtc"] = _started.ToString("O", CultureInfo.InvariantCulture),
            ["finishedUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["cpus"] = Environment.ProcessorCount,
            ["kernel"] = File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            ["loadAverageBefore"] = _loadBefore,
            ["loadAverageAfter"] = loadAfter,
            ["figures"] = new JsonArray([.. _figures.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = double.IsFinite(f.Value) ? f.Value : null, ["unit"] = f.Unit, ["note"] = f.Note })]),
            ["targets"] = new JsonArray([.. _targets.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["target"] = t.Target, ["measured"] = t.Measured, ["met"] = t.Met })]),
            ["details"] = _details.DeepClone(),
        };
        Directory.CreateDirectory(resultsDir);
        string path = Path.Combine(resultsDir, Scenario + ".json");
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Console.WriteLine($"written {path}");
        return path;
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a" : Math.Abs(value) >= 100 || value == Math.Floor(value) ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("F2", CultureInfo.InvariantCulture);
}
