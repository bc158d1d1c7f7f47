using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>What the engine keeps per endpoint: the rules that select it and its map state by column.</summary>
internal sealed class EndpointPolicyState
{
    public EndpointPolicyState(EndpointInfo info) => Info = info;

    public EndpointInfo Info { get; set; }

    /// <summary>Entries whose peer is a wildcard: they form identity 0's column.</summary>
    public List<CompiledPeerRule> WildcardRules { get; } = [];

    /// <summary>For every (non-wildcard) selection some applicable entry uses, the entries using it.</summary>
    public Dictionary<CachedSelection, List<CompiledPeerRule>> BySelection { get; } = [];

    public EnforcementState Ingress { get; set; }

    public EnforcementState Egress { get; set; }

    /// <summary>Identity 0's raw (pre-normalisation) items, which every other column's staged-policy rules consult.</summary>
    public List<ColumnItem> ZeroRaw { get; set; } = [];

    /// <summary>Final entries per remote identity; an identity without entries has no column.</summary>
    public Dictionary<uint, KeyValuePair<MapStateKey, MapStateEntry>[]> Columns { get; } = [];

    /// <summary>The last snapshot handed out; null once a column or the enforcement changed.</summary>
    public EndpointMapState? Snapshot { get; set; }

    public EndpointMapState ToMapState()
    {
        if (Snapshot is not null)
        {
            return Snapshot;
        }

        var entries = new List<KeyValuePair<MapStateKey, MapStateEntry>>(Columns.Values.Sum(c => c.Length));
        foreach (var id in Columns.Keys.Order())
        {
            entries.AddRange(Columns[id]);
        }

        return Snapshot = new EndpointMapState(Info.Id, Ingress, Egress, entries);
    }
}
