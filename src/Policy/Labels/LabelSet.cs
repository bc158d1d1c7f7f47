using System.Collections;

namespace Sluice.Policy.Labels;

/// <summary>
/// An immutable, sorted set of <see cref="Label"/>s with fast lookup by bare key (whatever the source),
/// which is what selector matching needs: a selector key without a source matches a label of any source.
/// </summary>
public sealed class LabelSet : IReadOnlyList<Label>, IEquatable<LabelSet>
{
    private readonly Label[] _labels;
    private readonly Dictionary<string, Label[]> _byKey;
    private readonly string _text;

    /// <summary>The empty label set.</summary>
    public static LabelSet Empty { get; } = new([]);

    /// <summary>Creates a set from labels; duplicates collapse, order is normalised.</summary>
    public LabelSet(IEnumerable<Label> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var sorted = new SortedSet<Label>(labels);
        _labels = [.. sorted];
        _byKey = _labels.GroupBy(l => l.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _text = string.Join(",", _labels);
    }

    /// <summary>Parses labels like <c>k8s:app=web</c>; a missing source becomes <paramref name="defaultSource"/>.</summary>
    public static LabelSet Parse(IEnumerable<string> labels, string defaultSource = LabelSource.Kubernetes) =>
        new(labels.Select(l => Label.Parse(l, defaultSource)));

    /// <summary>Creates a set of <c>k8s</c>-sourced labels from a key/value map.</summary>
    public static LabelSet FromKubernetes(IEnumerable<KeyValuePair<string, string>> labels) =>
        new(labels.Select(kv => new Label(LabelSource.Kubernetes, kv.Key, kv.Value)));

    /// <summary>Labels with the bare key <paramref name="key"/>, of every source (empty when none).</summary>
    public ReadOnlySpan<Label> WithKey(string key) =>
        _byKey.TryGetValue(key, out var found) ? found : ReadOnlySpan<Label>.Empty;

    /// <summary>Whether a label with this source, key and value is in the set.</summary>
    public bool Contains(Label label) => Array.BinarySearch(_labels, label) >= 0;

    /// <summary>A new set with <paramref name="extra"/> added.</summary>
    public LabelSet With(IEnumerable<Label> extra) => new(_labels.Concat(extra));

    /// <inheritdoc/>
    public Label this[int index] => _labels[index];

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public IEnumerator<Label> GetEnumerator() => ((IEnumerable<Label>)_labels).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _labels.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(LabelSet? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    /// <summary>The labels in canonical order, comma-separated.</summary>
    public override string ToString() => _text;
}
