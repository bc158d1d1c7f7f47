using Sluice.Policy.Identities;

namespace Sluice.Policy.Selectors;

/// <summary>
/// Something that selects security identities: a label selector, a CIDR with carve-outs, or an entity.
/// Two selectors with the same <see cref="CanonicalText"/> select the same identities, which is what lets
/// the <see cref="SelectorCache"/> share one matching set between every rule that uses the selector.
/// </summary>
public abstract class IdentitySelector
{
    /// <summary>A text that identifies the selector's meaning (equal text ⇔ equal selection).</summary>
    public abstract string CanonicalText { get; }

    /// <summary>
    /// Whether the selector selects every identity, present and future; such selectors become map-state
    /// entries for remote identity 0 ("any") instead of one entry per identity.
    /// </summary>
    public virtual bool IsWildcard => false;

    /// <summary>
    /// A label (bare key and value) every selected identity carries, if there is one; lets the selector cache
    /// start from the identities indexed under that label instead of scanning all of them.
    /// </summary>
    public virtual (string Key, string? Value)? IndexHint => null;

    /// <summary>
    /// Every label (bare key and value, or key alone) all selected identities carry; the cache indexes the
    /// selector under the one with the fewest identities. Defaults to <see cref="IndexHint"/>.
    /// </summary>
    public virtual IEnumerable<(string Key, string? Value)> IndexHints =>
        IndexHint is { } hint ? [hint] : [];

    /// <summary>
    /// Whether only world identities (reserved world ones and identities with a prefix) can be selected,
    /// which lets the cache skip every cluster identity.
    /// </summary>
    public virtual bool SelectsOnlyWorld => false;

    /// <summary>Whether the identity is selected.</summary>
    public abstract bool Matches(Identity identity);

    /// <inheritdoc/>
    public override string ToString() => CanonicalText;
}
