using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Corpus;
using Sluice.Policy.Trace;
using Xunit;

namespace Sluice.Policy.Tests.Engine;

/// <summary>
/// Every accepted document of the cilium-examples corpus goes through the engine: for pods carrying each
/// label the file's selectors mention, the map states are computed, LPM-consistent, and the tracer agrees
/// with the map-state lookup for every peer identity and a spread of ports.
/// </summary>
public class CorpusEngineTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in CorpusLocator.PolicyFiles())
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CorpusFile_ComputesConsistentMapStates(string file) => Compute(file);

    [Fact]
    public void Corpus_AsAWhole_ProducesEntries()
    {
        // Guards the per-file test against passing vacuously (e.g. no pod ever selected).
        int entries = CorpusLocator.PolicyFiles().Sum(f => Compute(f).MapStates.Sum(s => s.Entries.Count));
        Assert.True(entries > 200, $"only {entries} map-state entries over the whole corpus");
    }

    private static PolicyEngine Compute(string file)
    {
        var parsed = PolicyParser.ParseText(File.ReadAllText(Path.Combine(CorpusLocator.CorpusRoot, file)), file);
        var engine = new PolicyEngine();
        uint next = 1000;
        var pods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in parsed.Documents)
        {
            foreach (var (ns, labels) in MentionedPods(document))
            {
                string signature = ns + "/" + string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value));
                if (pods.Add(signature))
                {
                    uint id = next++;
                    engine.UpsertEndpoint(new EndpointInfo(id, "ep" + id, ns, new Identity(id, WellKnownLabels.ForEndpoint(ns, labels))));
                }
            }
        }

        engine.UpsertIdentity(new Identity(5000, LabelSet.Empty, IpPrefix.Parse("8.8.8.8/32")));
        for (int i = 0; i < parsed.Documents.Count; i++)
        {
            engine.SetPolicy("d" + i, parsed.Documents[i]);
        }

        var tracer = new PolicyTracer(engine);
        foreach (var endpoint in engine.Endpoints)
        {
            var state = engine.GetMapState(endpoint.Id);
            Assert.Empty(state.FindLpmViolations());
            foreach (var peer in engine.Identities.Values)
            {
                foreach (var (protocol, port) in new (byte, ushort)[] { (6, 80), (6, 443), (17, 53), (1, 8), (58, 128), (6, 8080) })
                {
                    var ingress = tracer.Trace(TraceParty.ForIdentity(peer, "peer"), TraceParty.ForEndpoint(endpoint), port, protocol).Ingress;
                    Assert.Equal(state.Lookup(peer.Id, TrafficDirection.Ingress, protocol, port).Decision, ingress.Decision);
                    var egress = tracer.Trace(TraceParty.ForEndpoint(endpoint), TraceParty.ForIdentity(peer, "peer"), port, protocol).Egress;
                    Assert.Equal(state.Lookup(peer.Id, TrafficDirection.Egress, protocol, port).Decision, egress.Decision);
                }
            }
        }

        return engine;
    }

    /// <summary>A pod per matchLabels set the document's selectors mention, in the namespace they name.</summary>
    private static IEnumerable<(string Namespace, Dictionary<string, string> Labels)> MentionedPods(PolicyDocument document)
    {
        string ns = document.Namespace ?? "default";
        var selectors = new List<EndpointSelector>();
        foreach (var rule in document.Rules)
        {
            if (rule.EndpointSelector is not null)
            {
                selectors.Add(rule.EndpointSelector);
            }

            foreach (var r in (rule.Ingress ?? []).Concat(rule.IngressDeny ?? []))
            {
                selectors.AddRange(r.FromEndpoints ?? []);
            }

            foreach (var r in (rule.Egress ?? []).Concat(rule.EgressDeny ?? []))
            {
                selectors.AddRange(r.ToEndpoints ?? []);
            }
        }

        if (document.Kubernetes is { } np)
        {
            selectors.Add(np.PodSelector);
            foreach (var peer in (np.Ingress ?? []).SelectMany(r => r.From ?? []).Concat((np.Egress ?? []).SelectMany(r => r.To ?? [])))
            {
                if (peer.PodSelector is not null)
                {
                    selectors.Add(peer.PodSelector);
                }
            }
        }

        foreach (var selector in selectors)
        {
            string podNamespace = ns;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyWithSource, value) in selector.MatchLabels)
            {
                var (source, key) = Label.SplitSource(keyWithSource, LabelSource.Kubernetes);
                if (source == LabelSource.Reserved || key.StartsWith(WellKnownLabels.NamespaceLabelPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (key == WellKnownLabels.PodNamespace)
                {
                    podNamespace = value;
                }
                else
                {
                    labels[key] = value;
                }
            }

            yield return (podNamespace, labels);
        }
    }
}
