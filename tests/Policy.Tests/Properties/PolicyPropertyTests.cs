using FsCheck.Xunit;
using Sluice.Policy.Engine;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Trace;
using Xunit;

namespace Sluice.Policy.Tests.Properties;

/// <summary>
/// Properties of the policy engine over generated policies, endpoints and identities. "Allowed" is the
/// engine's map-state lookup at sampled (endpoint, peer identity, direction, protocol, port) points.
/// </summary>
public sealed class PolicyPropertyTests
{
    /// <summary>Cases for the cheap properties. About one generated change in four alters some sampled
    /// verdict (measured over 200 cases), so this gives dozens of cases where the property has teeth.</summary>
    private const int Runs = 150;

    /// <summary>Cases for the order property, which writes files and builds four engines per case.</summary>
    private const int OrderRuns = 100;

    [Property(MaxTest = Runs, Arbitrary = [typeof(ScenarioArbitraries)])]
    public void AddingADeny_NeverWidensWhatIsAllowed(DenyAddition input)
    {
        var (scenario, rule, target) = input;
        var before = ScenarioEngine.Verdicts(scenario, ScenarioEngine.Build(scenario, scenario.Policies.Select(ScenarioEngine.Parse)));
        var after = ScenarioEngine.Verdicts(scenario, ScenarioEngine.Build(scenario, WithRule(scenario, rule, target).Select(ScenarioEngine.Parse)));

        var widened = after.Where(kv => kv.Value && !before[kv.Key]).Select(kv => kv.Key).Take(5).ToList();
        Assert.True(widened.Count == 0, $"deny rule {System.Text.Json.JsonSerializer.Serialize(rule)} (policy {target}) allowed {string.Join(", ", widened)}\n{scenario}");
    }

    [Property(MaxTest = Runs, Arbitrary = [typeof(ScenarioArbitraries)])]
    public void AddingAnAllowWithoutDefaultDeny_NeverNarrowsWhatIsAllowed(AllowAddition input)
    {
        var (scenario, rule, target) = input;
        var before = ScenarioEngine.Verdicts(scenario, ScenarioEngine.Build(scenario, scenario.Policies.Select(ScenarioEngine.Parse)));
        var after = ScenarioEngine.Verdicts(scenario, ScenarioEngine.Build(scenario, WithRule(scenario, rule, target).Select(ScenarioEngine.Parse)));

        var narrowed = before.Where(kv => kv.Value && !after[kv.Key]).Select(kv => kv.Key).Take(5).ToList();
        Assert.True(narrowed.Count == 0, $"allow rule {System.Text.Json.JsonSerializer.Serialize(rule)} (policy {target}) denied {string.Join(", ", narrowed)}\n{scenario}");
    }

    [Property(MaxTest = Runs, Arbitrary = [typeof(ScenarioArbitraries)])]
    public void AddingAnyAllow_UnderAlwaysEnforcement_NeverNarrowsWhatIsAllowed(AllowAddition input)
    {
        // With enforcement "always" every direction is already default-deny, so whether the added rule asks
        // for default deny does not matter: drop its enableDefaultDeny and the property must still hold.
        var (scenario, rule, target) = input;
        var plainRule = rule.Where(kv => kv.Key != "enableDefaultDeny").ToDictionary(kv => kv.Key, kv => kv.Value);
        var before = ScenarioEngine.Verdicts(scenario, ScenarioEngine.Build(scenario, scenario.Policies.Select(ScenarioEngine.Parse), EnforcementMode.Always));
        var after = ScenarioEngine.Verdicts(scenario, ScenarioEngine.Build(scenario, WithRule(scenario, plainRule, target).Select(ScenarioEngine.Parse), EnforcementMode.Always));

        var narrowed = before.Where(kv => kv.Value && !after[kv.Key]).Select(kv => kv.Key).Take(5).ToList();
        Assert.True(narrowed.Count == 0, $"allow rule {System.Text.Json.JsonSerializer.Serialize(plainRule)} (policy {target}) denied {string.Join(", ", narrowed)}\n{scenario}");
    }

    [Property(MaxTest = OrderRuns, Arbitrary = [typeof(ScenarioArbitraries)])]
    public void OrderOfFilesDocumentsAndRules_NeverChangesTheResult((PolicyScenario Scenario, int Seed) input)
    {
        var (scenario, seed) = input;
        var random = new Random(seed);
        string reference = ScenarioEngine.CanonicalMapStates(Load(scenario, scenario.Policies, oneFile: false), withOrigins: true);

        // Files in another order (one document per file).
        var shuffledPolicies = scenario.Policies.OrderBy(_ => random.Next()).ToList();
        string filesShuffled = ScenarioEngine.CanonicalMapStates(Load(scenario, shuffledPolicies, oneFile: false), withOrigins: true);

        // All documents in one multi-document file, in another order.
        string documentsShuffled = ScenarioEngine.CanonicalMapStates(Load(scenario, scenario.Policies.OrderBy(_ => random.Next()).ToList(), oneFile: true), withOrigins: true);

        // Rules reordered inside each document: rule indexes in the origins change, verdicts must not.
        var rulesShuffled = scenario.Policies.Select(p => p.IsKubernetes ? p : p.WithRuleOrder([.. Enumerable.Range(0, p.Rules.Count).OrderBy(_ => random.Next())])).ToList();
        string referenceVerdicts = ScenarioEngine.CanonicalMapStates(Load(scenario, scenario.Policies, oneFile: false), withOrigins: false);
        string rulesShuffledVerdicts = ScenarioEngine.CanonicalMapStates(Load(scenario, rulesShuffled, oneFile: false), withOrigins: false);

        Assert.Equal(reference, filesShuffled);
        Assert.Equal(reference, documentsShuffled);
        Assert.Equal(referenceVerdicts, rulesShuffledVerdicts);
    }

    [Property(MaxTest = Runs, Arbitrary = [typeof(ScenarioArbitraries)])]
    public void ParseSerialiseParse_IsStableAndKeepsTheSemantics(PolicyScenario scenario)
    {
        var first = scenario.Policies.Select(ScenarioEngine.Parse).ToList();
        var written = first.Select(PolicyWriter.ToYaml).ToList();
        var second = written.Select((yaml, i) => ParseOne(yaml, $"rewritten-{i}.yaml")).ToList();
        var rewritten = second.Select(PolicyWriter.ToYaml).ToList();

        Assert.Equal(written, rewritten);
        Assert.Equal(
            ScenarioEngine.CanonicalMapStates(ScenarioEngine.Build(scenario, first), withOrigins: true),
            ScenarioEngine.CanonicalMapStates(ScenarioEngine.Build(scenario, second), withOrigins: true));
    }

    [Property(MaxTest = Runs, Arbitrary = [typeof(ScenarioArbitraries)])]
    public void Tracer_AgreesWithTheMapStateOnEveryVerdict(PolicyScenario scenario)
    {
        // Two implementations of one semantics: the tracer evaluates rules one by one, the map state is the
        // compiled lookup the datapath uses. For a local source and destination they must agree per direction.
        var documents = scenario.Policies.Select(ScenarioEngine.Parse).ToList();
        var engine = ScenarioEngine.Build(scenario, documents);
        var tracer = new PolicyTracer(engine);
        var endpoints = ScenarioEngine.Endpoints(scenario).ToList();
        var peers = ScenarioEngine.PeerIdentities(scenario).ToList();
        var disagreements = new List<string>();
        foreach (var local in endpoints)
        {
            var state = engine.GetMapState(local.Id);
            foreach (var peer in peers)
            {
                var peerParty = endpoints.FirstOrDefault(e => e.Identity.Id == peer.Id) is { } peerEndpoint
                    ? TraceParty.ForEndpoint(peerEndpoint)
                    : TraceParty.ForIdentity(peer, peer.ToString());
                foreach (var (protocol, port) in ScenarioEngine.SamplePoints)
                {
                    var asSource = tracer.Trace(TraceParty.ForEndpoint(local), peerParty, port, protocol);
                    var asDestination = tracer.Trace(peerParty, TraceParty.ForEndpoint(local), port, protocol);
                    bool egress = state.Lookup(peer.Id, TrafficDirection.Egress, protocol, port).Forwarded;
                    bool ingress = state.Lookup(peer.Id, TrafficDirection.Ingress, protocol, port).Forwarded;
                    if (asSource.Egress.Forwarded != egress || asDestination.Ingress.Forwarded != ingress)
                    {
                        disagreements.Add($"endpoint {local.Id} peer {peer.Id} proto {protocol} port {port}: trace egress {asSource.Egress.Forwarded} vs map {egress}, trace ingress {asDestination.Ingress.Forwarded} vs map {ingress}");
                    }
                }
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(5)) + "\n" + scenario);
    }

    [Fact]
    public void ParseSerialiseParse_IsStableForEveryAcceptedCorpusFile()
    {
        int checkedDocuments = 0;
        foreach (var file in Corpus.CorpusLocator.PolicyFiles())
        {
            var result = PolicyLoader.LoadPaths([Path.Combine(Corpus.CorpusLocator.CorpusRoot, file)]);
            foreach (var document in result.Documents)
            {
                string yaml = PolicyWriter.ToYaml(document);
                var again = ParseOne(yaml, file + ".rewritten.yaml");
                Assert.Equal(yaml, PolicyWriter.ToYaml(again));
                Assert.Equal(document.Rules.Count, again.Rules.Count);
                Assert.Equal(document.NotEnforced.Select(f => f.Feature), again.NotEnforced.Select(f => f.Feature));
                checkedDocuments++;
            }
        }

        Assert.True(checkedDocuments > 90, $"only {checkedDocuments} corpus documents were accepted");
    }

    /// <summary>The scenario's policies with <paramref name="rule"/> added to policy <paramref name="target"/>;
    /// past the end, or when the target is a Kubernetes NetworkPolicy (which has no Cilium rules), as a new CCNP.</summary>
    private static List<GeneratedPolicy> WithRule(PolicyScenario scenario, Dictionary<string, object> rule, int target) =>
        target < scenario.Policies.Count && !scenario.Policies[target].IsKubernetes
            ? [.. scenario.Policies.Select((p, i) => i == target ? p.WithRule(rule) : p)]
            : [.. scenario.Policies, new GeneratedPolicy("CiliumClusterwideNetworkPolicy", "added", null, [rule])];

    private static PolicyDocument ParseOne(string yaml, string name)
    {
        var result = PolicyParser.ParseText(yaml, name);
        Assert.False(result.HasErrors, $"re-parse of written YAML failed:\n{yaml}\n{string.Join("\n", result.Diagnostics)}");
        return Assert.Single(result.Documents);
    }

    /// <summary>Writes the policies to real files (one per policy, or all in one) and loads them with the loader.</summary>
    private static PolicyEngine Load(PolicyScenario scenario, IReadOnlyList<GeneratedPolicy> policies, bool oneFile)
    {
        string dir = Path.Combine(Path.GetTempPath(), "slc-prop-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        try
        {
            var paths = new List<string>();
            if (oneFile)
            {
                string path = Path.Combine(dir, "all.yaml");
                File.WriteAllText(path, string.Join("---\n", policies.Select(p => p.ToYaml())));
                paths.Add(path);
            }
            else
            {
                foreach (var policy in policies)
                {
                    string path = Path.Combine(dir, policy.Name + ".yaml");
                    File.WriteAllText(path, policy.ToYaml());
                    paths.Add(path);
                }
            }

            var result = PolicyLoader.LoadPaths(paths);
            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
            return ScenarioEngine.Build(scenario, result.Documents);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
