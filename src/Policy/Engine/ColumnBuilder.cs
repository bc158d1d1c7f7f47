using Sluice.Policy.MapState;

namespace Sluice.Policy.Engine;

/// <summary>
/// Builds one remote identity's column of an endpoint's map state from the compiled entries that select
/// that identity: merges keys (deny over allow, enforced over audit), applies the staged-policy rules, and
/// makes the column LPM-consistent. One instance is reused across columns to avoid allocations.
/// </summary>
internal sealed class ColumnBuilder
{
    private readonly Dictionary<MapStateKey, Accumulator> _keys = [];
    private readonly List<Accumulator> _pool = [];

    /// <summary>Merges the contributions of <paramref name="rules"/> for <paramref name="identity"/> into raw items (one per key).</summary>
    /// <param name="identity">The remote identity of the column.</param>
    /// <param name="rules">The entries selecting it.</param>
    /// <param name="implicitHostAllow">Add the implicit allow-localhost entry (an enforced allow of everything, no origin).</param>
    public List<ColumnItem> Accumulate(uint identity, IEnumerable<CompiledPeerRule> rules, bool implicitHostAllow = false)
    {
        _keys.Clear();
        int used = 0;
        if (implicitHostAllow)
        {
            if (_pool.Count == 0)
            {
                _pool.Add(new Accumulator());
            }

            var host = _pool[used++];
            host.Reset();
            host.AddImplicitAllow();
            _keys[MapStateKey.AllTraffic(identity, TrafficDirection.Ingress)] = host;
        }

        foreach (var rule in rules)
        {
            foreach (var range in rule.Ranges)
            {
                var key = range.ToKey(identity, rule.Direction);
                if (!_keys.TryGetValue(key, out var acc))
                {
                    // Accumulators are pooled: a column is built for every selected identity.
                    if (used == _pool.Count)
                    {
                        _pool.Add(new Accumulator());
                    }

                    acc = _pool[used++];
                    acc.Reset();
                    _keys[key] = acc;
                }

                acc.Add(rule);
            }
        }

        var items = new List<ColumnItem>(_keys.Count);
        foreach (var kv in _keys)
        {
            items.Add(new ColumnItem(kv.Key, kv.Value.Resolve()));
        }

        return items;
    }

    /// <summary>
    /// Turns raw items of one identity into its final, sorted, LPM-consistent column. <paramref name="zeroRaw"/>
    /// are the raw items of identity 0 (empty when building identity 0 itself).
    /// </summary>
    public static KeyValuePair<MapStateKey, MapStateEntry>[] Finish(uint identity, List<ColumnItem> raw, IReadOnlyList<ColumnItem> zeroRaw,
        EnforcementState ingress, EnforcementState egress)
    {
        if (IsPlain(raw, zeroRaw))
        {
            // Only enforced allows and no deny or audit entry on identity 0: nothing to merge or cut.
            var plain = new KeyValuePair<MapStateKey, MapStateEntry>[raw.Count];
            for (int i = 0; i < raw.Count; i++)
            {
                plain[i] = new KeyValuePair<MapStateKey, MapStateEntry>(raw[i].Key, raw[i].Entry);
            }

            Array.Sort(plain, static (a, b) => a.Key.CompareTo(b.Key));
            return plain;
        }

        var result = new List<ColumnItem>(raw.Count);
        foreach (var direction in (ReadOnlySpan<TrafficDirection>)[TrafficDirection.Ingress, TrafficDirection.Egress])
        {
            FinishDirection(identity, direction, direction == TrafficDirection.Ingress ? ingress : egress, raw, zeroRaw, result);
        }

        return [.. Merge(result).OrderBy(i => i.Key).Select(i => new KeyValuePair<MapStateKey, MapStateEntry>(i.Key, i.Entry))];
    }

    private static void FinishDirection(uint identity, TrafficDirection direction, EnforcementState state,
        List<ColumnItem> raw, IReadOnlyList<ColumnItem> zeroRaw, List<ColumnItem> result)
    {
        var denies = new List<ColumnItem>();
        var auditDenies = new List<ColumnItem>();
        var allows = new List<ColumnItem>();
        foreach (var item in raw)
        {
            if (item.Key.Direction != direction)
            {
                continue;
            }

            (item.Tier switch { 3 => denies, 2 => auditDenies, _ => allows }).Add(item);
        }

        var zero = identity == 0 ? [] : zeroRaw.Where(i => i.Key.Direction == direction).ToList();
        if (state == EnforcementState.DefaultDeny)
        {
            // Under enforced default-deny an audit entry may only ever turn "allowed" into "audited":
            // staged allows change nothing (dropped), and a staged deny is kept only where an enforced allow
            // (of this identity or of any identity) would otherwise admit the packet, since the datapath
            // forwards on every audit deny.
            allows.RemoveAll(i => i.Entry.Audit);
            var candidates = auditDenies.Concat(zero.Where(i => i.Tier == 2).Select(i => Rekey(i, identity))).ToList();
            var enforcedAllows = allows.Concat(zero.Where(i => i.Tier == 1 && !i.Entry.Audit)).ToList();
            auditDenies = [];
            foreach (var candidate in candidates)
            {
                foreach (var allow in enforcedAllows)
                {
                    if (KeyRanges.Intersect(candidate.Key, allow.Key, identity) is { } both)
                    {
                        auditDenies.Add(candidate with { Key = both });
                    }
                }
            }

            auditDenies = Merge(auditDenies);
        }

        if (identity != 0 && auditDenies.Count > 0)
        {
            // The datapath prefers this column's deny over identity 0's, so an audit deny here would hide an
            // enforced deny on "any": copy such denies into the column, where LPM consistency orders them.
            foreach (var zeroDeny in zero.Where(i => i.Tier == 3))
            {
                if (auditDenies.Any(a => a.Key.Overlaps(zeroDeny.Key with { RemoteIdentity = identity })))
                {
                    denies.Add(Rekey(zeroDeny, identity));
                }
            }

            denies = Merge(denies);
        }

        auditDenies = Subtract(auditDenies, denies);
        allows = Subtract(Merge(allows), [.. denies, .. auditDenies]);
        result.AddRange(denies);
        result.AddRange(auditDenies);
        result.AddRange(allows);
    }

    private static bool IsPlain(List<ColumnItem> raw, IReadOnlyList<ColumnItem> zeroRaw)
    {
        foreach (var item in raw)
        {
            if (item.Entry.Deny || item.Entry.Audit)
            {
                return false;
            }
        }

        foreach (var item in zeroRaw)
        {
            if (item.Entry.Deny || item.Entry.Audit)
            {
                return false;
            }
        }

        return true;
    }

    private static ColumnItem Rekey(ColumnItem item, uint identity) => item with { Key = item.Key with { RemoteIdentity = identity } };

    /// <summary>
    /// Removes from <paramref name="items"/> every packet a blocker matches, except where an item covers the
    /// blocker (the longest-prefix lookup then finds the narrower blocker first). Repeats on the pieces until
    /// no piece partially overlaps a blocker.
    /// </summary>
    private static List<ColumnItem> Subtract(List<ColumnItem> items, List<ColumnItem> blockers)
    {
        if (blockers.Count == 0)
        {
            return items;
        }

        var result = new List<ColumnItem>(items.Count);
        var work = new Stack<ColumnItem>(items);
        while (work.Count > 0)
        {
            var item = work.Pop();
            bool split = false;
            foreach (var blocker in blockers)
            {
                if (!item.Key.Overlaps(blocker.Key) || (item.Key.Covers(blocker.Key) && item.Key != blocker.Key))
                {
                    continue;
                }

                foreach (var piece in KeyRanges.Subtract(item.Key, blocker.Key))
                {
                    work.Push(item with { Key = piece });
                }

                split = true;
                break;
            }

            if (!split)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Collapses items with equal keys: the higher tier wins; equal tiers merge their origins.</summary>
    private static List<ColumnItem> Merge(List<ColumnItem> items)
    {
        if (items.Count < 2)
        {
            return items;
        }

        var byKey = new Dictionary<MapStateKey, ColumnItem>(items.Count);
        foreach (var item in items)
        {
            if (!byKey.TryGetValue(item.Key, out var existing) || item.Tier > existing.Tier)
            {
                byKey[item.Key] = item;
            }
            else if (item.Tier == existing.Tier && !ReferenceEquals(item.Entry, existing.Entry))
            {
                var origins = existing.Entry.Origins.Union(item.Entry.Origins).Order().ToArray();
                bool audit = existing.Entry.Audit && item.Entry.Audit;
                var winner = audit == existing.Entry.Audit ? existing.Entry : item.Entry;
                byKey[item.Key] = existing with { Entry = winner with { Audit = audit, Origins = origins } };
            }
        }

        return [.. byKey.Values];
    }

    /// <summary>What the rules say about one key, by kind (origins kept small: most keys have one).</summary>
    private sealed class Accumulator
    {
        private readonly List<PolicyRef> _enforcedDeny = [];
        private readonly List<PolicyRef> _auditDeny = [];
        private readonly List<PolicyRef> _enforcedAllow = [];
        private readonly List<PolicyRef> _auditAllow = [];

        private bool _implicitAllow;

        public void AddImplicitAllow() => _implicitAllow = true;

        public void Reset()
        {
            _implicitAllow = false;
            _enforcedDeny.Clear();
            _auditDeny.Clear();
            _enforcedAllow.Clear();
            _auditAllow.Clear();
        }

        public void Add(CompiledPeerRule rule) =>
            (rule.Deny ? (rule.Audit ? _auditDeny : _enforcedDeny) : (rule.Audit ? _auditAllow : _enforcedAllow)).Add(rule.Origin);

        public MapStateEntry Resolve() =>
            _enforcedDeny.Count > 0 ? new MapStateEntry(true, false, Origins(_enforcedDeny))
            : _auditDeny.Count > 0 ? new MapStateEntry(true, true, Origins(_auditDeny))
            : _enforcedAllow.Count > 0 || _implicitAllow ? new MapStateEntry(false, false, Origins(_enforcedAllow))
            : new MapStateEntry(false, true, Origins(_auditAllow));

        private static PolicyRef[] Origins(List<PolicyRef> origins)
        {
            if (origins.Count == 0)
            {
                return [];
            }

            if (origins.Count == 1)
            {
                return [origins[0]];
            }

            origins.Sort();
            int distinct = 1;
            for (int i = 1; i < origins.Count; i++)
            {
                if (!origins[i].Equals(origins[distinct - 1]))
                {
                    origins[distinct++] = origins[i];
                }
            }

            return [.. origins.Take(distinct)];
        }
    }
}
