using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Parsing;

/// <summary>
/// A node of a parsed YAML or JSON document that remembers where it came from. Both readers produce this
/// tree so the policy readers see one shape and every diagnostic gets an exact location.
/// </summary>
internal abstract class SourceNode(SourceLocation location)
{
    /// <summary>Where the node starts (for a mapping entry's value: the value, not the key).</summary>
    public SourceLocation Location { get; } = location;

    /// <summary>A short name of the node's shape for messages: "a mapping", "a list", "a string".</summary>
    public abstract string ShapeName { get; }
}
