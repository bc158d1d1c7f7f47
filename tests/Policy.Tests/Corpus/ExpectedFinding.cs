namespace Sluice.Policy.Tests.Corpus;

/// <summary>An error or note expected at one of some lines, whose text contains a fragment.</summary>
public sealed class ExpectedFinding
{
    /// <summary>The line (when only one is right).</summary>
    public int? Line { get; set; }

    /// <summary>The lines any of which is right (the offending rule or its offending key).</summary>
    public List<int>? Lines { get; set; }

    /// <summary>Fragment the field path, message or code must contain (case-insensitive).</summary>
    public string Contains { get; set; } = string.Empty;

    /// <summary>The acceptable lines.</summary>
    public IReadOnlyList<int> AcceptableLines => Lines ?? (Line is { } l ? [l] : []);

    /// <inheritdoc/>
    public override string ToString() => $"'{Contains}'@{string.Join("|", AcceptableLines)}";
}
