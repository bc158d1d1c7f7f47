using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.Model;

namespace Sluice.Policy.Selectors;

/// <summary>
/// A compiled endpoint selector: requirements that must all hold (matchLabels become In requirements with
/// one value). No requirements selects everything.
/// </summary>
public sealed class LabelSelector : IdentitySelector
{
    private readonly SelectorRequirement[] _requirements;

    /// <summary>Creates a selector from requirements (order does not matter).</summary>
    public LabelSelector(IEnumerable<SelectorRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        _requirements = [.. requirements.DistinctBy(r => r.Text, StringComparer.Ordinal).OrderBy(r => r.Text, StringComparer.Ordinal)];
        CanonicalText = "{" + string.Join(", ", _requirements.Select(r => r.Text)) + "}";
        var hint = _requirements.FirstOrDefault(r => r.Operator == SelectorOperator.In && r.Values.Count == 1)
            ?? _requirements.FirstOrDefault(r => r.Operator == SelectorOperator.Exists);
        if (hint is not null)
        {
            IndexHint = (hint.Key, hint.Operator == SelectorOperator.In ? hint.Values[0] : null);
        }
    }

    /// <summary>The selector that selects everything.</summary>
    public static LabelSelector All { get; } = new([]);

    /// <summary>The requirements, in canonical order.</summary>
    public IReadOnlyList<SelectorRequirement> Requirements => _requirements;

    /// <inheritdoc/>
    public override string CanonicalText { get; }

    /// <inheritdoc/>
    public override bool IsWildcard => _requirements.Length == 0;

    /// <inheritdoc/>
    public override (string Key, string? Value)? IndexHint { get; }

    /// <inheritdoc/>
    public override IEnumerable<(string Key, string? Value)> IndexHints =>
        _requirements.Where(r => (r.Operator == SelectorOperator.In && r.Values.Count == 1) || r.Operator == SelectorOperator.Exists)
            .Select(r => (r.Key, r.Operator == SelectorOperator.In ? r.Values[0] : (string?)null));

    /// <summary>Whether a label with this bare key is required or constrained by the selector (any operator).</summary>
    public bool Mentions(string key, string? source = null) =>
        _requirements.Any(r => string.Equals(r.Key, key, StringComparison.Ordinal)
            && (source is null || string.Equals(r.Source, source, StringComparison.Ordinal)));

    /// <summary>A selector with <paramref name="extra"/> requirements added.</summary>
    public LabelSelector With(params SelectorRequirement[] extra) => new(_requirements.Concat(extra));

    /// <summary>Whether the labels satisfy every requirement.</summary>
    public bool Matches(LabelSet labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Matches(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Matches(identity.Labels);
    }
}
