using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>
/// What parsing produced: the documents that passed validation, and every diagnostic (errors for rejected
/// documents and syntax problems, warnings, notes for skipped documents), ordered by file (in load order)
/// and, within a file, by line and column.
/// </summary>
public sealed class PolicyParseResult
{
    /// <summary>Creates a result.</summary>
    public PolicyParseResult(IReadOnlyList<PolicyDocument> documents, IReadOnlyList<Diagnostic> diagnostics)
    {
        Documents = documents;
        Diagnostics = diagnostics;
    }

    /// <summary>Accepted documents, in file order then document order.</summary>
    public IReadOnlyList<PolicyDocument> Documents { get; }

    /// <summary>All diagnostics.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>True when any diagnostic is an error (some input was rejected).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The errors only.</summary>
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    /// <summary>The warnings only.</summary>
    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);
}
