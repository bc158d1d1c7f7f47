using BenchmarkDotNet.Attributes;
using Sluice.Policy.Engine;
using Sluice.Policy.Identities;

namespace Sluice.Policy.Benchmarks;

/// <summary>
/// Policy compute cost for 10 000 identities × 1 000 rules (targets: full ≤ 200 ms; one identity change ≤ 1 ms).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 5)]
public class PolicyComputeBenchmarks
{
    private PolicyWorkload _workload = null!;
    private PolicyEngine _engine = null!;
    private Identity _newPod = null!;
    private Identity _relabelA = null!;
    private Identity _relabelB = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new PolicyWorkload();
        _engine = _workload.BuildEngine();
        _newPod = PolicyWorkload.Pod(900_000, "ns3", "app7", "web", "v1");
        var existing = _workload.Identities[5000];
        _relabelA = existing;
        _relabelB = PolicyWorkload.Pod(existing.Id, "ns3", "app7", "cache", "v2");
    }

    /// <summary>Everything from scratch: identities, 1 000 rules, 100 endpoints' map states.</summary>
    [Benchmark]
    public int FullCompute() => _workload.BuildEngine().MapStates.Sum(s => s.Entries.Count);

    /// <summary>A new pod identity appears and goes away again (two incremental updates).</summary>
    [Benchmark]
    public int AddAndRemoveIdentity() => _engine.UpsertIdentity(_newPod).Count + _engine.RemoveIdentity(_newPod.Id).Count;

    /// <summary>An existing identity is relabelled (alternating between two label sets).</summary>
    [Benchmark]
    public int RelabelIdentity()
    {
        _flip = !_flip;
        return _engine.UpsertIdentity(_flip ? _relabelB : _relabelA).Count;
    }
}
