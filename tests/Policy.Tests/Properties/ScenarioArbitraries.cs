using FsCheck;
using FsCheck.Fluent;

namespace Sluice.Policy.Tests.Properties;

/// <summary>Arbitrary instances for the property tests (registered with <c>[Property(Arbitrary = …)]</c>).</summary>
public static class ScenarioArbitraries
{
    /// <summary>A scenario: 1–4 policies, 1–3 local endpoints, 0–3 remote workloads.</summary>
    public static Arbitrary<PolicyScenario> Scenario() => ScenarioGen().ToArbitrary();

    /// <summary>A scenario plus one deny-only rule to add.</summary>
    public static Arbitrary<DenyAddition> ScenarioWithDeny() =>
        (from s in ScenarioGen()
         from r in PolicyGenerators.DenyRule()
         from t in Gen.Choose(0, s.Policies.Count)
         select new DenyAddition(s, r, t)).ToArbitrary();

    /// <summary>A scenario plus one allow-only rule that does not switch on default deny.</summary>
    public static Arbitrary<AllowAddition> ScenarioWithAllow() =>
        (from s in ScenarioGen()
         from r in PolicyGenerators.AllowRuleWithoutDefaultDeny()
         from t in Gen.Choose(0, s.Policies.Count)
         select new AllowAddition(s, r, t)).ToArbitrary();

    /// <summary>A scenario plus a seed for shuffling files, documents and rules.</summary>
    public static Arbitrary<(PolicyScenario Scenario, int Seed)> ScenarioWithSeed() =>
        (from s in ScenarioGen()
         from seed in Gen.Choose(0, int.MaxValue)
         select (s, seed)).ToArbitrary();

    private static Gen<PolicyScenario> ScenarioGen() =>
        from policies in PolicyGenerators.Policies()
        from localCount in Gen.Choose(1, 3)
        from local in Gen.CollectToList(Enumerable.Range(0, localCount).Select(i => WorkloadGen($"ep{i}")))
        from remoteCount in Gen.Choose(0, 3)
        from remote in Gen.CollectToList(Enumerable.Range(0, remoteCount).Select(i => WorkloadGen($"remote{i}")))
        select new PolicyScenario(policies, local, remote);

    private static Gen<Workload> WorkloadGen(string name) =>
        from ns in Gen.Elements(PolicyGenerators.Namespaces)
        from labels in PolicyGenerators.WorkloadLabels()
        select new Workload(name, ns, labels);
}
