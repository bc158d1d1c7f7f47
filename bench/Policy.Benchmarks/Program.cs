using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Sluice.Policy.Benchmarks;

// `--quick` prints the workload's shape and, over 10 full computes after 3 warm-up ones, the median wall
// time and the median CPU time of this process (CPU time is what the computation costs when the machine
// is shared; wall time is what BenchmarkDotNet reports). Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--quick")
{
    var workload = new PolicyWorkload();
    var walls = new List<double>();
    var cpus = new List<double>();
    Sluice.Policy.Engine.PolicyEngine engine = null!;
    for (int round = 0; round < 13; round++)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        engine = workload.BuildEngine();
        double wall = stopwatch.Elapsed.TotalMilliseconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        if (round >= 3)
        {
            walls.Add(wall);
            cpus.Add(cpu);
        }
    }

    int entries = engine.MapStates.Sum(s => s.Entries.Count);
    var pod = PolicyWorkload.Pod(900_000, "ns3", "app7", "web", "v1");
    var add = Stopwatch.StartNew();
    const int Rounds = 1000;
    for (int i = 0; i < Rounds; i++)
    {
        engine.UpsertIdentity(pod);
        engine.RemoveIdentity(pod.Id);
    }

    double addRemove = add.Elapsed.TotalMilliseconds / Rounds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"identities={workload.Identities.Count} rules={workload.RuleCount} documents={workload.Documents.Count} endpoints={workload.Endpoints.Count} selectors={engine.SelectorCount} cidrIdentities={engine.CidrIdentities.Count} entries={entries}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"full compute: median wall {Median(walls):F1} ms, median CPU {Median(cpus):F1} ms (10 runs); identity add+remove: {addRemove * 1000:F1} us"));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(PolicyWorkload).Assembly).Run(args);
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
