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
