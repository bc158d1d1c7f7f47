namespace Sluice.Policy.Tests.Corpus;

/// <summary>The expected validation outcome of one corpus file, as written in expectations.yaml.</summary>
public sealed class CorpusExpectation
{
    /// <summary><c>accepted</c> or <c>rejected</c>.</summary>
    public string Outcome { get; set; } = string.Empty;

    /// <summary>Number of policy documents returned (accepted files).</summary>
    public int? Documents { get; set; }

    /// <summary>Total number of Cilium rules in those documents (accepted files).</summary>
    public int? Rules { get; set; }

    /// <summary>Exactly the "parsed, not enforced" warnings.</summary>
    public List<ExpectedWarning> Warnings { get; set; } = [];

    /// <summary>Exactly the notes for skipped non-policy documents.</summary>
    public List<ExpectedFinding> Notes { get; set; } = [];

    /// <summary>Exactly the errors (rejected files).</summary>
    public List<ExpectedFinding> Errors { get; set; } = [];

    /// <summary>Whether the file must be accepted.</summary>
    public bool IsAccepted => string.Equals(Outcome, "accepted", StringComparison.Ordinal);
}

/// <summary>A not-enforced feature expected at a line.</summary>
public sealed class ExpectedWarning
{
    /// <summary>Feature name that must occur in the warning's field path or message (case-insensitive).</summary>
    public string Feature { get; set; } = string.Empty;

    /// <summary>Line of the field's key.</summary>
    public int Line { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Feature}@{Line}";
}

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
