using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Corpus;
using Xunit;
using Xunit.Abstractions;

namespace Sluice.Policy.Tests.Robustness;

/// <summary>
/// Feeds thousands of mutated corpus files to the parser. Whatever the damage, the parser must answer
/// with diagnostics only: no exception, no hang (each input has its own time limit), and diagnostics
/// that are well formed (a known code, a location inside the file, the file name given). Documents it
/// accepts are then computed by the engine, which must not throw on them either. Seed and count
/// come from <c>SLUICE_MUTATION_SEED</c> / <c>SLUICE_MUTATION_COUNT</c> so a failure can be replayed.
/// </summary>
public sealed class MutationTests(ITestOutputHelper output)
{
    private const int DefaultCount = 5000;
    private const int DefaultSeed = 20261127;

    /// <summary>Per-input limit: generous for a shared 2-core machine, yet far below "hung".</summary>
    private static readonly TimeSpan PerInputTimeout = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> KnownCodes = [.. typeof(DiagnosticCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void MutatedCorpusFiles_ProduceOnlyWellFormedDiagnostics()
    {
        int count = EnvironmentInt("SLUICE_MUTATION_COUNT", DefaultCount);
        int seed = EnvironmentInt("SLUICE_MUTATION_SEED", DefaultSeed);
        var sources = CorpusLocator.PolicyFiles()
            .Select(f => (Name: f, Text: File.ReadAllText(Path.Combine(CorpusLocator.CorpusRoot, f))))
            .ToList();
        var failures = new List<string>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        int rejected = 0, accepted = 0;
        var clock = Stopwatch.StartNew();

        for (int i = 0; i < count && failures.Count < 10; i++)
        {
            var random = new Random(seed + i);
            var (name, original) = sources[i % sources.Count];
            var (text, kind) = CorpusMutator.Mutate(original, random);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            string fileName = "mutated/" + name;

            string? failure = Check(text, fileName, out bool hasErrors);
            if (failure is not null)
            {
                failures.Add($"seed {seed + i} ({kind} of {name}): {failure}\n  input saved at {Save(text, seed + i, name)}");
            }
            else if (hasErrors)
            {
                rejected++;
            }
            else
            {
                accepted++;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} mutations from seed {seed} in {clock.Elapsed.TotalSeconds:F1} s: {rejected} rejected, {accepted} accepted; kinds: {string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"))}"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // A mutation run that rejects nothing would mean the mutations do not reach the validator.
        Assert.True(rejected > count / 4, $"only {rejected} of {count} mutated inputs were rejected");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("---\n---\n---\n")]
    [InlineData("[")]
    [InlineData("{")]
    [InlineData("\"")]
    [InlineData("\0\0\0")]
    [InlineData("\ufeff")]
    [InlineData("a: &a [*a]\n")]
    [InlineData("kind: CiliumNetworkPolicy\napiVersion: cilium.io/v2\nspec: *undefined\n")]
    [InlineData("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n")]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec:\n  endpointSelector: {}\n  ingress: [{toPorts: [{ports: [{port: \"99999999999999999999\"}]}]}]\n")]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec:\n  endpointSelector: {}\n  ingress: [{toPorts: [{ports: [{port: \"80\", endPort: 99999999999999999999}]}]}]\n")]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec:\n  endpointSelector: {}\n  egress: [{icmps: [{fields: [{type: 1e400}]}]}]\n")]
    public void HandPickedHostileInputs_ProduceOnlyWellFormedDiagnostics(string text)
    {
        Assert.Null(Check(text, "hostile.yaml", out _));
    }

    [Fact]
    public void DeeplyNestedInput_IsRejectedWithinTheTimeLimit()
    {
        string nested = new string('[', 100_000) + new string(']', 100_000);

        Assert.Null(Check(nested, "deep.json", out bool hasErrors));
        Assert.True(hasErrors);
    }

    [Fact]
    public void AliasBomb_IsRejectedWithinTheTimeLimit()
    {
        // Each level refers to the previous one ten times: expanding it naively would need 10^9 nodes.
        var text = new System.Text.StringBuilder("a0: &a0 [x]\n");
        for (int level = 1; level <= 9; level++)
        {
            text.Append(CultureInfo.InvariantCulture, $"a{level}: &a{level} [");
            text.Append(string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10)));
            text.Append("]\n");
        }

        Assert.Null(Check(text.ToString(), "bomb.yaml", out bool hasErrors));
        Assert.True(hasErrors);
    }

    /// <summary>Parses under a time limit and returns what is wrong with the outcome, or null when it is well formed.</summary>
    private static string? Check(string text, string fileName, out bool hasErrors)
    {
        hasErrors = false;
        var parse = Task.Run(() => PolicyParser.ParseText(text, fileName));
        try
        {
            if (!parse.Wait(PerInputTimeout))
            {
                return $"no answer within {PerInputTimeout.TotalSeconds} s";
            }
        }
        catch (AggregateException e)
        {
            return "threw " + e.InnerException;
        }

        var result = parse.Result;
        hasErrors = result.HasErrors;
        if (result.HasErrors != result.Diagnostics.Any(d => d.IsError))
        {
            return $"HasErrors is {result.HasErrors} but the diagnostics say otherwise";
        }

        int lineCount = text.Split('\n').Length;
        foreach (var diagnostic in result.Diagnostics)
        {
            if (!KnownCodes.Contains(diagnostic.Code))
            {
                return $"unknown diagnostic code '{diagnostic.Code}' in {diagnostic}";
            }

            if (diagnostic.Location.File != fileName)
            {
                return $"diagnostic names file '{diagnostic.Location.File}' instead of '{fileName}': {diagnostic}";
            }

            if (diagnostic.Location.Line < 0 || diagnostic.Location.Line > lineCount + 1 || diagnostic.Location.Column < 0)
            {
                return $"location outside the input ({lineCount} lines): {diagnostic}";
            }

            if (string.IsNullOrWhiteSpace(diagnostic.Message))
            {
                return $"empty message: {diagnostic}";
            }

            if (!diagnostic.ToString().StartsWith($"{fileName}:{diagnostic.Location.Line}:{diagnostic.Location.Column}: ", StringComparison.Ordinal))
            {
                return $"badly formatted diagnostic: {diagnostic}";
            }
        }

        foreach (var document in result.Documents)
        {
            if (document.Source.File != fileName || document.Rules is null)
            {
                return $"document {document.Name} has source '{document.Source.File}' or no rule list";
            }
        }

        // Whatever the parser accepts, the engine must be able to compute: accepted documents go into a
        // real engine with a few endpoints, and computing their map states must not throw either.
        if (result.Documents.Count > 0)
        {
            var compute = Task.Run(() => ComputeMapStates(result.Documents));
            try
            {
                if (!compute.Wait(PerInputTimeout))
                {
                    return $"the engine gave no answer within {PerInputTimeout.TotalSeconds} s";
                }
            }
            catch (AggregateException e)
            {
                return "the engine threw on an accepted document: " + e.InnerException;
            }

            if (compute.Result is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? ComputeMapStates(IReadOnlyList<Model.PolicyDocument> documents)
    {
        var engine = new PolicyEngine();
        foreach (var endpoint in Endpoints)
        {
            engine.UpsertEndpoint(endpoint);
        }

        foreach (var document in documents)
        {
            engine.SetPolicy(document);
        }

        foreach (var state in engine.MapStates)
        {
            if (state.FindLpmViolations().Count > 0)
            {
                return $"map state of endpoint {state.EndpointId} is not LPM-consistent";
            }
        }

        return null;
    }

    /// <summary>Endpoints whose labels the corpus policies select (kube-dns, app=myService, role=frontend, …).</summary>
    private static readonly EndpointInfo[] Endpoints =
    [
        Endpoint(1, "kube-system", ("k8s-app", "kube-dns")),
        Endpoint(2, "default", ("app", "myService"), ("role", "frontend")),
        Endpoint(3, "default", ("env", "prod"), ("role", "backend"), ("id", "app1")),
    ];

    private static EndpointInfo Endpoint(ulong id, string ns, params (string Key, string Value)[] labels) =>
        new(id, $"ep{id}", ns, new Identity(IdentityScope.FirstLabelIdentity + (uint)id,
            WellKnownLabels.ForEndpoint(ns, labels.Select(l => new KeyValuePair<string, string>(l.Key, l.Value)))));

    private static string Save(string text, int seed, string name)
    {
        string directory = Path.Combine(Path.GetTempPath(), "sluice-mutations");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"{seed}-{name.Replace('/', '_')}");
        File.WriteAllText(path, text);
        return path;
    }

    private static int EnvironmentInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
