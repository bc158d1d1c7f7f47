namespace Sluice.Policy.Diagnostics;

/// <summary>
/// A position in a policy source file. Line and column are 1-based; column counts characters
/// (not bytes) from the start of the line. <see cref="None"/> marks nodes built in code.
/// </summary>
/// <param name="File">The file name as given to the parser (may be a display name such as "&lt;stdin&gt;").</param>
/// <param name="Line">1-based line number; 0 when unknown.</param>
/// <param name="Column">1-based column number; 0 when unknown.</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location for nodes that were not read from a file.</summary>
    public static SourceLocation None { get; } = new(string.Empty, 0, 0);

    /// <summary>True when the location points into a file.</summary>
    public bool IsKnown => Line > 0;

    /// <summary>
    /// Formats the location as <c>file:line:column</c>, the form compilers and editors understand; just
    /// <c>file</c> when the position is unknown (whole-file findings such as an unreadable file).
    /// </summary>
    public override string ToString() => IsKnown ? $"{File}:{Line}:{Column}" : File;
}
