using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Sluice.Policy.Benchmarks;

// `--quick` prints one-shot Stopwatch figures and the workload's shape (a smoke run, not a measurement);
// anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--quick")
{
    var workload = new PolicyWorkload();
    if (args.Length > 1 && args[1] == "--warm")
    {
        workload.BuildEngine();
    }

    var stopwatch = Stopwatch.StartNew();
    var engine = new Sluice.Policy.Engine.PolicyEngine();
    foreach (var identity in workload.Identities)
    {
        engine.UpsertIdentity(identity);
    }

    double identities = stopwatch.Elapsed.TotalMilliseconds;
    for (int i = 0; i < workload.Documents.Count; i++)
    {
        engine.SetPolicy("doc" + i.ToString(CultureInfo.InvariantCulture), workload.Documents[i]);
    }

    double policies = stopwatch.Elapsed.TotalMilliseconds;
    foreach (var endpoint in workload.Endpoints)
    {
        engine.UpsertEndpoint(endpoint);
    }

    double full = stopwatch.Elapsed.TotalMilliseconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phases: identities {identities:F1} ms, policies {policies - identities:F1} ms, endpoints {full - policies:F1} ms"));
    int entries = engine.MapStates.Sum(s => s.Entries.Count);
    var pod = PolicyWorkload.Pod(900_000, "ns3", "app7", "web", "v1");
    stopwatch.Restart();
    int deltas = engine.UpsertIdentity(pod).Count;
    double add = stopwatch.Elapsed.TotalMilliseconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"identities={workload.Identities.Count} rules={workload.RuleCount} documents={workload.Documents.Count} endpoints={workload.Endpoints.Count} selectors={engine.SelectorCount} cidrIdentities={engine.CidrIdentities.Count} entries={entries}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"full compute (cold, one shot): {full:F1} ms; one identity added: {add:F3} ms ({deltas} endpoint deltas)"));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(PolicyWorkload).Assembly).Run(args);
return 0;
