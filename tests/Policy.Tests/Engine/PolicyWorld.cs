using System.Globalization;
using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Engine;

/// <summary>
/// A small world for semantic tests: an engine, endpoints and remote pods declared by namespace and labels,
/// and policies written inline as YAML (parsed by the real parser; a parse error fails the test).
/// </summary>
public sealed class PolicyWorld
{
    private int _policyCount;

    /// <summary>
    /// Creates the world. Rule-semantics tables leave out the implicit allow-localhost entry (it would add
    /// the same host line to every ingress-enforced case); <see cref="AllowLocalhostTests"/> covers it.
    /// </summary>
    public PolicyWorld(EnforcementMode mode = EnforcementMode.Default, bool allowLocalhost = false) =>
        Engine = new PolicyEngine(mode, allowLocalhost);

    public PolicyEngine Engine { get; }

    /// <summary>Labels as <c>app=web,tier=db</c> (source k8s unless written).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseLabels(string labels) =>
        labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2))
            .Select(p => KeyValuePair.Create(p[0], p.Length > 1 ? p[1] : string.Empty));

    /// <summary>An identity for a pod in <paramref name="ns"/> with these labels.</summary>
    public static Identity PodIdentity(uint id, string ns, string labels, string? namespaceLabels = null) =>
        new(id, WellKnownLabels.ForEndpoint(ns, ParseLabels(labels), namespaceLabels is null ? null : ParseLabels(namespaceLabels)));

    /// <summary>Adds a local endpoint whose endpoint id and identity are both <paramref name="id"/>.</summary>
    public IReadOnlyList<MapStateDelta> Endpoint(uint id, string ns, string labels, string? namespaceLabels = null) =>
        Engine.UpsertEndpoint(new EndpointInfo(id, "ep" + id.ToString(CultureInfo.InvariantCulture), ns, PodIdentity(id, ns, labels, namespaceLabels)));

    /// <summary>Adds a remote pod identity (not a local endpoint).</summary>
    public IReadOnlyList<MapStateDelta> Pod(uint id, string ns, string labels, string? namespaceLabels = null) =>
        Engine.UpsertIdentity(PodIdentity(id, ns, labels, namespaceLabels));

    /// <summary>Adds a labelled external prefix identity (outside the cluster).</summary>
    public IReadOnlyList<MapStateDelta> External(uint id, string cidr, string labels = "") =>
        Engine.UpsertIdentity(new Identity(id, LabelSet.FromKubernetes(ParseLabels(labels)), IpPrefix.Parse(cidr)));

    /// <summary>Parses YAML and installs every document; <paramref name="audit"/> stages them.</summary>
    public IReadOnlyList<MapStateDelta> Policy(string yaml, bool audit = false)
    {
        var documents = Parse(yaml);
        var deltas = new List<MapStateDelta>();
        foreach (var document in documents)
        {
            deltas.AddRange(Engine.SetPolicy("p" + (_policyCount++).ToString(CultureInfo.InvariantCulture), document, audit));
        }

        return deltas;
    }

    /// <summary>Parses YAML with the real parser, failing the test on errors.</summary>
    public static IReadOnlyList<PolicyDocument> Parse(string yaml)
    {
        var result = PolicyParser.ParseText(yaml, "test.yaml");
        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        Assert.NotEmpty(result.Documents);
        return result.Documents;
    }

    /// <summary>The endpoint's entries, one line each (the map state's text without its header).</summary>
    public string[] Lines(ulong endpoint) =>
        [.. Engine.GetMapState(endpoint).Entries.Select(e => $"{e.Key}: {e.Value}")];

    /// <summary>What the datapath would do with a packet.</summary>
    public LookupDecision Decide(ulong endpoint, TrafficDirection direction, uint peer, byte protocol, ushort port) =>
        Engine.GetMapState(endpoint).Lookup(peer, direction, protocol, port).Decision;

    /// <summary>Whether a TCP packet to/from <paramref name="peer"/> on <paramref name="port"/> is forwarded.</summary>
    public bool Forwards(ulong endpoint, TrafficDirection direction, uint peer, byte protocol, ushort port) =>
        Engine.GetMapState(endpoint).Lookup(peer, direction, protocol, port).Forwarded;
}
