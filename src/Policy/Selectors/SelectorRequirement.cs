using Sluice.Policy.Labels;
using Sluice.Policy.Model;

namespace Sluice.Policy.Selectors;

/// <summary>
/// One term of a label selector. The source is <c>any</c> when the selector key carried none, in which case a
/// label of every source matches (so <c>app</c> matches <c>k8s:app</c>, as Cilium rewrites it to <c>any.app</c>).
/// </summary>
public sealed class SelectorRequirement
{
    /// <summary>Creates a requirement; values are de-duplicated and sorted.</summary>
    public SelectorRequirement(string source, string key, SelectorOperator op, IEnumerable<string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(key);
        Source = source;
        Key = key;
        Operator = op;
        var list = values as IReadOnlyList<string> ?? (values ?? []).ToArray();
        Values = list.Count switch
        {
            0 => [],
            1 => [list[0]],
            _ => [.. list.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
        Text = Operator switch
        {
            SelectorOperator.In when Values.Count == 1 => $"{Source}:{Key}={Values[0]}",
            SelectorOperator.In => $"{Source}:{Key} in ({string.Join(",", Values)})",
            SelectorOperator.NotIn => $"{Source}:{Key} notin ({string.Join(",", Values)})",
            SelectorOperator.Exists => $"{Source}:{Key}",
            _ => $"!{Source}:{Key}",
        };
    }

    /// <summary>Parses a selector key that may carry a source prefix (<c>k8s:app</c>, <c>reserved:host</c>).</summary>
    public static SelectorRequirement FromKey(string keyWithSource, SelectorOperator op, IEnumerable<string>? values = null)
    {
        var (source, key) = Label.SplitSource(keyWithSource, LabelSource.Any);
        return new SelectorRequirement(source, key, op, values);
    }

    /// <summary>The label source the requirement applies to (<c>any</c> = all).</summary>
    public string Source { get; }

    /// <summary>The bare label key.</summary>
    public string Key { get; }

    /// <summary>The operator.</summary>
    public SelectorOperator Operator { get; }

    /// <summary>The values (for In/NotIn), sorted.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Canonical text, e.g. <c>any:app=web</c>, <c>k8s:tier in (a,b)</c>, <c>!any:debug</c>.</summary>
    public string Text { get; }

    /// <summary>Whether the requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        bool anyKey = false;
        bool anyValue = false;
        foreach (var label in labels.WithKey(Key))
        {
            if (Source != LabelSource.Any && !string.Equals(label.Source, Source, StringComparison.Ordinal))
            {
                continue;
            }

            anyKey = true;
            if (!anyValue && ContainsValue(label.Value))
            {
                anyValue = true;
            }
        }

        return Operator switch
        {
            SelectorOperator.In => anyValue,
            SelectorOperator.NotIn => !anyValue,
            SelectorOperator.Exists => anyKey,
            _ => !anyKey,
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private bool ContainsValue(string value)
    {
        for (int i = 0; i < Values.Count; i++)
        {
            if (string.Equals(Values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
