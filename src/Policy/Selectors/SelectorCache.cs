using Sluice.Policy.Identities;

namespace Sluice.Policy.Selectors;

/// <summary>
/// Selector → matching identities, for every selector some compiled rule uses, kept current as identities
/// are added, relabelled and removed. Both directions are indexed: identities by label (so a new selector
/// starts from the identities carrying its most selective label) and selectors by that label (so a changed
/// identity is only matched against the selectors it could satisfy, plus the few without such a label).
/// One identity change therefore costs O(candidate selectors), never O(rules × identities).
/// </summary>
public sealed class SelectorCache
{
    private readonly Dictionary<uint, Identity> _identities = [];
    private readonly Dictionary<(string Key, string Value), HashSet<uint>> _byLabel = [];
    private readonly Dictionary<string, HashSet<uint>> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<uint> _world = [];
    private readonly Dictionary<string, CachedSelection> _selections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Value), HashSet<CachedSelection>> _selectionsByLabel = [];
    private readonly Dictionary<string, HashSet<CachedSelection>> _selectionsByKey = new(StringComparer.Ordinal);
    private readonly HashSet<CachedSelection> _worldSelections = [];
    private readonly HashSet<CachedSelection> _unindexedSelections = [];

    /// <summary>The known identities by number.</summary>
    public IReadOnlyDictionary<uint, Identity> Identities => _identities;

    /// <summary>The number of distinct cached selectors.</summary>
    public int SelectorCount => _selections.Count;

    /// <summary>
    /// The shared selection for <paramref name="selector"/>, computed now if no rule held it yet. Each call
    /// takes a reference that <see cref="Release"/> gives back.
    /// </summary>
    public CachedSelection Acquire(IdentitySelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (!_selections.TryGetValue(selector.CanonicalText, out var selection))
        {
            selection = new CachedSelection(selector);
            if (!selector.IsWildcard)
            {
                var hint = SmallestHint(selector);
                foreach (var id in CandidateIdentities(selector, hint))
                {
                    if (selector.Matches(_identities[id]))
                    {
                        selection.Add(id);
                    }
                }

                selection.Bucket = SelectionBucket(selector, hint);
                selection.Bucket.Add(selection);
            }

            _selections.Add(selector.CanonicalText, selection);
        }

        selection.References++;
        return selection;
    }

    /// <summary>Gives back a reference taken by <see cref="Acquire"/>; the last one drops the selection.</summary>
    public void Release(CachedSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (--selection.References == 0)
        {
            _selections.Remove(selection.Selector.CanonicalText);
            selection.Bucket?.Remove(selection);
        }
    }

    /// <summary>
    /// Adds or replaces (relabels) an identity and returns the selections whose membership changed.
    /// </summary>
    public IReadOnlyList<CachedSelection> Upsert(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var changed = new List<CachedSelection>();
        if (_identities.TryGetValue(identity.Id, out var old))
        {
            if (old.Equals(identity))
            {
                return changed;
            }

            // Selections that may have held the old labels but not the new ones.
            foreach (var selection in CandidateSelections(old))
            {
                if (selection.Contains(identity.Id) && !selection.Selector.Matches(identity) && selection.Remove(identity.Id))
                {
                    changed.Add(selection);
                }
            }

            Unindex(old);
        }

        _identities[identity.Id] = identity;
        Index(identity);
        foreach (var selection in CandidateSelections(identity))
        {
            if (selection.Selector.Matches(identity) && selection.Add(identity.Id))
            {
                changed.Add(selection);
            }
        }

        return changed;
    }

    /// <summary>Removes an identity and returns the selections that held it.</summary>
    public IReadOnlyList<CachedSelection> Remove(uint id)
    {
        var changed = new List<CachedSelection>();
        if (!_identities.Remove(id, out var old))
        {
            return changed;
        }

        Unindex(old);
        foreach (var selection in CandidateSelections(old))
        {
            if (selection.Remove(id))
            {
                changed.Add(selection);
            }
        }

        return changed;
    }

    /// <summary>The bucket a selector is filed under: its index label, its index key, world-only, or unindexed.</summary>
    private HashSet<CachedSelection> SelectionBucket(IdentitySelector selector, (string Key, string? Value)? indexHint)
    {
        if (indexHint is { } hint)
        {
            if (hint.Value is { } value)
            {
                if (!_selectionsByLabel.TryGetValue((hint.Key, value), out var byLabel))
                {
                    _selectionsByLabel[(hint.Key, value)] = byLabel = [];
                }

                return byLabel;
            }

            if (!_selectionsByKey.TryGetValue(hint.Key, out var byKey))
            {
                _selectionsByKey[hint.Key] = byKey = [];
            }

            return byKey;
        }

        return selector.SelectsOnlyWorld ? _worldSelections : _unindexedSelections;
    }

    /// <summary>
    /// Every selection the identity could satisfy (a superset; each is then matched exactly). A selection is
    /// filed in one bucket only, but an identity can reach a bucket twice (the same key under two sources);
    /// callers tolerate that because adding or removing an identity twice changes nothing the second time.
    /// </summary>
    private IEnumerable<CachedSelection> CandidateSelections(Identity identity)
    {
        foreach (var selection in _unindexedSelections)
        {
            yield return selection;
        }

        if (identity.IsWorld)
        {
            foreach (var selection in _worldSelections)
            {
                yield return selection;
            }
        }

        foreach (var label in identity.Labels)
        {
            if (_selectionsByLabel.TryGetValue((label.Key, label.Value), out var byLabel))
            {
                foreach (var selection in byLabel)
                {
                    yield return selection;
                }
            }

            if (_selectionsByKey.TryGetValue(label.Key, out var byKey))
            {
                foreach (var selection in byKey)
                {
                    yield return selection;
                }
            }
        }
    }

    /// <summary>Every identity the selector could select (a superset; each is then matched exactly).</summary>
    private IEnumerable<uint> CandidateIdentities(IdentitySelector selector, (string Key, string? Value)? indexHint)
    {
        if (indexHint is { } hint)
        {
            HashSet<uint>? ids = hint.Value is null
                ? _byKey.GetValueOrDefault(hint.Key)
                : _byLabel.GetValueOrDefault((hint.Key, hint.Value));
            return ids ?? [];
        }

        return selector.SelectsOnlyWorld ? _world : _identities.Keys;
    }

    /// <summary>The selector's index label with the fewest identities now (null when it has none).</summary>
    private (string Key, string? Value)? SmallestHint(IdentitySelector selector)
    {
        (string Key, string? Value)? best = null;
        int bestCount = int.MaxValue;
        foreach (var hint in selector.IndexHints)
        {
            int count = (hint.Value is null ? _byKey.GetValueOrDefault(hint.Key) : _byLabel.GetValueOrDefault((hint.Key, hint.Value)))?.Count ?? 0;
            if (count < bestCount)
            {
                (best, bestCount) = (hint, count);
            }
        }

        return best;
    }

    private void Index(Identity identity)
    {
        if (identity.IsWorld)
        {
            _world.Add(identity.Id);
        }

        foreach (var label in identity.Labels)
        {
            if (!_byLabel.TryGetValue((label.Key, label.Value), out var ids))
            {
                _byLabel[(label.Key, label.Value)] = ids = [];
            }

            ids.Add(identity.Id);
            if (!_byKey.TryGetValue(label.Key, out var keyIds))
            {
                _byKey[label.Key] = keyIds = [];
            }

            keyIds.Add(identity.Id);
        }
    }

    private void Unindex(Identity identity)
    {
        _world.Remove(identity.Id);
        foreach (var label in identity.Labels)
        {
            if (_byLabel.TryGetValue((label.Key, label.Value), out var ids) && ids.Remove(identity.Id) && ids.Count == 0)
            {
                _byLabel.Remove((label.Key, label.Value));
            }

            if (_byKey.TryGetValue(label.Key, out var keyIds) && keyIds.Remove(identity.Id) && keyIds.Count == 0)
            {
                _byKey.Remove(label.Key);
            }
        }
    }
}
