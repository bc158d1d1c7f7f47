using Sluice.Policy.Identities;

namespace Sluice.Policy.Engine;

/// <summary>
/// Installed rules indexed by a label their endpoint selector requires, so finding the rules that select
/// an endpoint looks at the rules filed under the endpoint's own labels instead of matching every rule.
/// Rules whose selector requires no single label (e.g. <c>{}</c>) are checked for every endpoint.
/// </summary>
internal sealed class SubjectIndex
{
    private readonly Dictionary<(string Key, string Value), HashSet<CompiledRule>> _byLabel = [];
    private readonly Dictionary<string, HashSet<CompiledRule>> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<CompiledRule> _unindexed = [];

    public void Add(CompiledRule rule) => Bucket(rule)?.Add(rule);

    public void Remove(CompiledRule rule) => Bucket(rule)?.Remove(rule);

    /// <summary>The rules that select the endpoint (each once).</summary>
    public List<CompiledRule> Selecting(EndpointInfo endpoint)
    {
        var result = new List<CompiledRule>();
        Collect(_unindexed, endpoint, result);
        foreach (var label in endpoint.Labels)
        {
            if (_byLabel.TryGetValue((label.Key, label.Value), out var byLabel))
            {
                Collect(byLabel, endpoint, result);
            }

            if (_byKey.TryGetValue(label.Key, out var byKey))
            {
                Collect(byKey, endpoint, result);
            }
        }

        // An endpoint can reach one bucket twice when it carries a key under two sources.
        return result.Count < 2 ? result : [.. result.Distinct()];
    }

    private static void Collect(HashSet<CompiledRule> rules, EndpointInfo endpoint, List<CompiledRule> result)
    {
        foreach (var rule in rules)
        {
            if (rule.Selects(endpoint))
            {
                result.Add(rule);
            }
        }
    }

    private HashSet<CompiledRule>? Bucket(CompiledRule rule)
    {
        if (rule.Subject is null)
        {
            return null;
        }

        foreach (var (key, value) in rule.Subject.IndexHints)
        {
            if (value is not null)
            {
                if (!_byLabel.TryGetValue((key, value), out var byLabel))
                {
                    _byLabel[(key, value)] = byLabel = [];
                }

                return byLabel;
            }
        }

        foreach (var (key, _) in rule.Subject.IndexHints)
        {
            if (!_byKey.TryGetValue(key, out var byKey))
            {
                _byKey[key] = byKey = [];
            }

            return byKey;
        }

        return _unindexed;
    }
}
