using System.Globalization;

namespace Sluice.Policy.Labels;

/// <summary>
/// One identity label: a source, a key and a value, written <c>source:key=value</c> (the value and its
/// <c>=</c> are omitted when empty, as in <c>reserved:host</c>).
/// </summary>
/// <param name="Source">Where the label came from (<see cref="LabelSource"/>).</param>
/// <param name="Key">The label key without its source.</param>
/// <param name="Value">The label value; empty for keys that carry no value.</param>
public readonly record struct Label(string Source, string Key, string Value) : IComparable<Label>
{
    /// <summary>
    /// Parses <c>[source:]key[=value]</c>. A missing source becomes <paramref name="defaultSource"/>.
    /// </summary>
    /// <exception cref="FormatException">The key is empty.</exception>
    public static Label Parse(string text, string defaultSource = LabelSource.Kubernetes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (source, rest) = SplitSource(text, defaultSource);
        int eq = rest.IndexOf('=', StringComparison.Ordinal);
        string key = eq < 0 ? rest : rest[..eq];
        string value = eq < 0 ? string.Empty : rest[(eq + 1)..];
        if (key.Length == 0)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"label '{text}' has an empty key"));
        }

        return new Label(source, key, value);
    }

    /// <summary>
    /// Splits a selector or label key into its source and bare key: <c>k8s:app</c> → (k8s, app);
    /// <c>app</c> → (<paramref name="defaultSource"/>, app). Only known sources are split off.
    /// </summary>
    public static (string Source, string Key) SplitSource(string text, string defaultSource)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && LabelSource.IsKnown(text[..colon]))
        {
            return (text[..colon], text[(colon + 1)..]);
        }

        return (defaultSource, text);
    }

    /// <inheritdoc/>
    public int CompareTo(Label other)
    {
        int c = string.CompareOrdinal(Source, other.Source);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(Key, other.Key);
        return c != 0 ? c : string.CompareOrdinal(Value, other.Value);
    }

    /// <summary>The canonical text, <c>source:key=value</c>.</summary>
    public override string ToString() => Value.Length == 0 ? $"{Source}:{Key}" : $"{Source}:{Key}={Value}";

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <(Label left, Label right) => left.CompareTo(right) < 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <=(Label left, Label right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >(Label left, Label right) => left.CompareTo(right) > 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >=(Label left, Label right) => left.CompareTo(right) >= 0;
}
