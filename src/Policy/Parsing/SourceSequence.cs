using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Parsing;

/// <summary>A YAML sequence or JSON array.</summary>
internal sealed class SourceSequence(SourceLocation location, IReadOnlyList<SourceNode> items) : SourceNode(location)
{
    /// <summary>The items in order.</summary>
    public IReadOnlyList<SourceNode> Items { get; } = items;

    /// <inheritdoc/>
    public override string ShapeName => "a list";
}
