using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Parsing;

/// <summary>
/// A YAML mapping or JSON object. Entries keep source order; duplicate keys were reported by the reader
/// and only the first occurrence is kept.
/// </summary>
internal sealed class SourceMapping(SourceLocation location, IReadOnlyList<KeyValuePair<SourceScalar, SourceNode>> entries)
    : SourceNode(location)
{
    /// <summary>The entries in source order.</summary>
    public IReadOnlyList<KeyValuePair<SourceScalar, SourceNode>> Entries { get; } = entries;

    /// <inheritdoc/>
    public override string ShapeName => "a mapping";
}
