using Sluice.Policy.Identities;

namespace Sluice.Policy.Selectors;

/// <summary>
/// Selector → matching identities, for every selector some compiled rule uses, kept current as identities
/// are added, relabelled and removed. One identity change costs one match per cached selector
/// (O(selectors)), never O(rules × identities); a new selector starts from the identities indexed under its
/// most selective label when it has one.
/// </summary>
public sealed class SelectorCache
{
    private readonly Dictionary<uint, Identity> _identities = [];
    private readonly Dictionary<(string Key, string Value), HashSet<uint>> _byLabel = [];
    private readonly Dictionary<string, HashSet<uint>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CachedSelection> _selections = new(StringComparer.Ordinal);

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
                foreach (var identity in Candidates(selector))
                {
                    if (selector.Matches(identity))
                    {
                        selection.Add(identity.Id);
                    }
                }
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
        }
    }

    /// <summary>
    /// Adds or replaces (relabels) an identity and returns the selections whose membership changed.
    /// </summary>
    public IReadOnlyList<CachedSelection> Upsert(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_identities.TryGetValue(identity.Id, out var old))
        {
            if (old.Equals(identity))
            {
                return [];
            }

            Unindex(old);
        }

        _identities[identity.Id] = identity;
        Index(identity);
        var changed = new List<CachedSelection>();
        foreach (var selection in _selections.Values)
        {
            if (selection.IsWildcard)
            {
                continue;
            }

            bool changedHere = selection.Selector.Matches(identity) ? selection.Add(identity.Id) : selection.Remove(identity.Id);
            if (changedHere)
            {
                changed.Add(selection);
            }
        }

        return changed;
    }

    /// <summary>Removes an identity and returns the selections that held it.</summary>
    public IReadOnlyList<CachedSelection> Remove(uint id)
    {
        if (!_identities.Remove(id, out var old))
        {
            return [];
        }

        Unindex(old);
        var changed = new List<CachedSelection>();
        foreach (var selection in _selections.Values)
        {
            if (selection.Remove(id))
            {
                changed.Add(selection);
            }
        }

        return changed;
    }

    private IEnumerable<Identity> Candidates(IdentitySelector selector)
    {
        if (selector.IndexHint is { } hint)
        {
            HashSet<uint>? ids = hint.Value is null
                ? _byKey.GetValueOrDefault(hint.Key)
                : _byLabel.GetValueOrDefault((hint.Key, hint.Value));
            return ids is null ? [] : ids.Select(id => _identities[id]);
        }

        return _identities.Values;
    }

    private void Index(Identity identity)
    {
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
