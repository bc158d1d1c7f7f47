using Sluice.Policy.MapState;

namespace Sluice.Policy.Engine;

/// <summary>
/// Remembers, during one engine operation, the columns and enforcement each touched endpoint had before
/// the operation, so the operation can return exactly what changed (and nothing for a column rebuilt to
/// the same value).
/// </summary>
internal sealed class DeltaTracker
{
    private readonly Dictionary<EndpointPolicyState, Original> _originals = [];

    /// <summary>Records every column of the endpoint (before a full recompute).</summary>
    public void RecordAll(EndpointPolicyState endpoint)
    {
        var original = Get(endpoint);
        if (original.All)
        {
            return;
        }

        foreach (var kv in endpoint.Columns)
        {
            original.Columns.TryAdd(kv.Key, kv.Value);
        }

        original.All = true;
    }

    /// <summary>Records one column (before it is rebuilt).</summary>
    public void Record(EndpointPolicyState endpoint, uint identity)
    {
        var original = Get(endpoint);
        if (!original.All)
        {
            original.Columns.TryAdd(identity, endpoint.Columns.GetValueOrDefault(identity));
        }
    }

    /// <summary>Records that the endpoint is gone.</summary>
    public void RecordRemoval(EndpointPolicyState endpoint)
    {
        RecordAll(endpoint);
        _originals[endpoint].Removed = true;
    }

    /// <summary>The per-endpoint deltas, by endpoint id, empty ones left out.</summary>
    public IReadOnlyList<MapStateDelta> Deltas()
    {
        var deltas = new List<MapStateDelta>(_originals.Count);
        foreach (var (endpoint, original) in _originals.OrderBy(kv => kv.Key.Info.Id))
        {
            var added = new List<KeyValuePair<MapStateKey, MapStateEntry>>();
            var changed = new List<KeyValuePair<MapStateKey, MapStateEntry>>();
            var removed = new List<MapStateKey>();
            IEnumerable<uint> ids = original.All ? original.Columns.Keys.Union(endpoint.Columns.Keys) : original.Columns.Keys;
            foreach (var id in ids.Order())
            {
                var before = original.Columns.GetValueOrDefault(id) ?? [];
                var after = original.Removed ? [] : endpoint.Columns.GetValueOrDefault(id) ?? [];
                if (!ReferenceEquals(before, after))
                {
                    MapStateDelta.Diff(before, after, added, changed, removed);
                }
            }

            var ingress = original.Removed ? EnforcementState.Off : endpoint.Ingress;
            var egress = original.Removed ? EnforcementState.Off : endpoint.Egress;
            var delta = new MapStateDelta(endpoint.Info.Id, added, changed, removed, ingress, egress,
                ingress != original.Ingress || egress != original.Egress, original.Removed);
            if (!delta.IsEmpty)
            {
                deltas.Add(delta);
            }
        }

        return deltas;
    }

    private Original Get(EndpointPolicyState endpoint)
    {
        if (!_originals.TryGetValue(endpoint, out var original))
        {
            _originals[endpoint] = original = new Original(endpoint.Ingress, endpoint.Egress);
        }

        return original;
    }

    private sealed class Original(EnforcementState ingress, EnforcementState egress)
    {
        public EnforcementState Ingress { get; } = ingress;

        public EnforcementState Egress { get; } = egress;

        public Dictionary<uint, KeyValuePair<MapStateKey, MapStateEntry>[]?> Columns { get; } = [];

        public bool All { get; set; }

        public bool Removed { get; set; }
    }
}
