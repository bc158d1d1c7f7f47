namespace Sluice.Policy.Tests.Corpus;

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
