namespace Sluice.Policy.Parsing;

/// <summary>
/// Safety limits that keep hostile input (deep nesting, alias bombs) from exhausting the stack or memory.
/// Real policies are far below all of them.
/// </summary>
internal static class SourceLimits
{
    /// <summary>Deepest nesting of mappings and lists accepted.</summary>
    public const int MaxDepth = 128;

    /// <summary>Most nodes one document may expand to once YAML aliases are followed; each alias counts
    /// the size of the node it names, so "billion laughs" documents stop here.</summary>
    public const long MaxExpandedNodes = 1_000_000;

    /// <summary>Largest file read, in bytes.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;
}
