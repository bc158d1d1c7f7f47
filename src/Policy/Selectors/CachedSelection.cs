using Sluice.Policy.Identities;

namespace Sluice.Policy.Selectors;

/// <summary>
/// The identities one selector currently selects, kept up to date by the <see cref="SelectorCache"/> as
/// identities come and go. Shared by every rule whose selector has the same canonical text.
/// </summary>
public sealed class CachedSelection
{
    private readonly HashSet<uint> _ids = [];
    private uint[]? _sorted;

    internal CachedSelection(IdentitySelector selector) => Selector = selector;

    /// <summary>The selector.</summary>
    public IdentitySelector Selector { get; }

    /// <summary>Whether the selection is "every identity" (map-state identity 0).</summary>
    public bool IsWildcard => Selector.IsWildcard;

    /// <summary>The cache's index bucket this selection is filed under (so a release can unfile it).</summary>
    internal HashSet<CachedSelection>? Bucket { get; set; }

    /// <summary>How many compiled rules hold this selection; the cache drops it at zero.</summary>
    internal int References { get; set; }

    /// <summary>The number of selected identities (0 for a wildcard, which is not expanded).</summary>
    public int Count => _ids.Count;

    /// <summary>Whether the identity is selected (always true for a wildcard).</summary>
    public bool Contains(uint id) => IsWildcard || _ids.Contains(id);

    /// <summary>The selected identities in ascending order (empty for a wildcard).</summary>
    public IReadOnlyList<uint> Identities => _sorted ??= [.. _ids.Order()];

    internal bool Add(uint id)
    {
        if (_ids.Add(id))
        {
            _sorted = null;
            return true;
        }

        return false;
    }

    internal bool Remove(uint id)
    {
        if (_ids.Remove(id))
        {
            _sorted = null;
            return true;
        }

        return false;
    }

    internal void Clear()
    {
        _ids.Clear();
        _sorted = null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Selector.CanonicalText} → [{string.Join(",", Identities)}]";
}
