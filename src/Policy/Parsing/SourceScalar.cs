using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Parsing;

/// <summary>A scalar value and how it was written.</summary>
internal sealed class SourceScalar(SourceLocation location, string value, ScalarKind kind) : SourceNode(location)
{
    /// <summary>The scalar's text (for JSON numbers and booleans, the literal as written).</summary>
    public string Value { get; } = value;

    /// <summary>How the scalar was written.</summary>
    public ScalarKind Kind { get; } = kind;

    /// <summary>True for an explicit or implicit null.</summary>
    public bool IsNull => Kind == ScalarKind.Null;

    /// <inheritdoc/>
    public override string ShapeName => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Number => "a number",
        ScalarKind.Boolean => "a boolean",
        _ => "a string",
    };
}
