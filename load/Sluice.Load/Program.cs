using Sluice.Load.Harness;
using Sluice.Load.Scenarios;

namespace Sluice.Load;

/// <summary>
/// Entry point: <c>sluice-load &lt;scenario&gt; [--option value]…</c>. Each scenario builds its own uniquely
/// named namespaces, runs the real sluiced, prints a table and writes load/results/&lt;scenario&gt;.json.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (Action<LoadOptions, ScenarioReport> Run, string[] Options, string Help)> Scenarios = new(StringComparer.Ordinal)
    {
        ["overhead"] = (OverheadScenario.Run, ["rounds", "duration", "connections"], "wrk req/s and latency through veth, no programs vs sluiced enforcing"),
        ["apply-latency"] = (ApplyLatencyScenario.Run, ["changes"], "policy-file write → enforced on traffic, p50/p99"),
        ["memory"] = (MemoryScenario.Run, ["flows", "rate"], "sluiced RSS idle and with 100 k tracked flows"),
        ["startup"] = (StartupScenario.Run, ["rounds"], "start → READY=1, start → first packet enforced, SIGKILL restart gap"),
        ["flood"] = (FloodScenario.Run, ["duration", "rate"], "new-flow flood: events/s delivered, losses by source, daemon CPU"),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Scenarios.TryGetValue(args[0], out var scenario))
        {
            Console.Error.WriteLine("usage: sluice-load <scenario> [--option value]… [--sluiced path/to/sluiced.dll] [--results dir]");
            foreach (var (name, (_, options, help)) in Scenarios)
            {
                Console.Error.WriteLine($"  {name,-14} {help} (options: {string.Join(", ", options.Select(o => "--" + o))})");
            }

            return args.Length == 0 ? 2 : Fail($"unknown scenario '{args[0]}'");
        }

        if (Environment.UserName != "root")
        {
            return Fail("run as root: the scenarios create network namespaces and load BPF programs");
        }

        LoadOptions parsed;
        try
        {
            parsed = LoadOptions.Parse(args[1..], new HashSet<string>([.. scenario.Options, "sluiced", "results"], StringComparer.Ordinal));
        }
        catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException)
        {
            return Fail(e.Message);
        }

        if (!File.Exists(parsed.DaemonDll))
        {
            return Fail($"{parsed.DaemonDll} not found: build it first (dotnet build src/Daemon -c Release) or pass --sluiced");
        }

        CleanupOnExit.Install();
        var report = new ScenarioReport(args[0], args);
        Console.WriteLine($"{args[0]}: sluiced {parsed.DaemonDll}, load average {ScenarioReport.LoadAverage()}");
        try
        {
            scenario.Run(parsed, report);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return Fail(e.Message);
        }

        report.Finish(parsed.ResultsDir);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("sluice-load: " + message);
        return 1;
    }
}
