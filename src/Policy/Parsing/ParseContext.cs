using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>
/// State shared by the readers of one document: the diagnostics sink, the locations of keys by field
/// path (for cross-field validation messages), and the not-enforced features found so far.
/// </summary>
internal sealed class ParseContext(string fileName, List<Diagnostic> diagnostics)
{
    private int errorsAtDocumentStart;

    /// <summary>The file name used in every location.</summary>
    public string FileName { get; } = fileName;

    /// <summary>All diagnostics of the file.</summary>
    public List<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>Location of each key read in the current document, by field path.</summary>
    public Dictionary<string, SourceLocation> KeyLocations { get; } = new(StringComparer.Ordinal);

    /// <summary>Not-enforced features of the current document.</summary>
    public List<NotEnforcedFeature> NotEnforced { get; } = [];

    /// <summary>Index of the Cilium rule being read (-1 outside rules).</summary>
    public int RuleIndex { get; set; } = -1;

    /// <summary>
    /// True while reading a bare rule list (Cilium's REST API format). Cilium decodes those with Go's
    /// <c>encoding/json</c>, which matches field names case-insensitively; Kubernetes objects are matched
    /// case-sensitively.
    /// </summary>
    public bool CaseInsensitiveFields { get; set; }

    /// <summary>True when the current document is a host policy (its rule has a nodeSelector).</summary>
    public bool InHostPolicy { get; set; }

    /// <summary>True when an error was reported since <see cref="BeginDocument"/>.</summary>
    public bool DocumentHasErrors => Diagnostics.Skip(errorsAtDocumentStart).Any(d => d.IsError);

    /// <summary>Resets per-document state.</summary>
    public void BeginDocument()
    {
        errorsAtDocumentStart = Diagnostics.Count;
        KeyLocations.Clear();
        NotEnforced.Clear();
        ErroredPaths.Clear();
        RuleIndex = -1;
        InHostPolicy = false;
        CaseInsensitiveFields = false;
    }

    /// <summary>The location of the key at <paramref name="path"/>, or <paramref name="fallback"/>.</summary>
    public SourceLocation KeyAt(string path, SourceLocation fallback) =>
        KeyLocations.TryGetValue(path, out var location) ? location : fallback;

    /// <summary>Field paths that already have an error in the current document; checks that would only
    /// repeat the consequence of that error (a "missing" field that was present but malformed) skip them.</summary>
    public HashSet<string> ErroredPaths { get; } = new(StringComparer.Ordinal);

    /// <summary>Reports an error.</summary>
    public void Error(SourceLocation location, string path, string code, string message)
    {
        ErroredPaths.Add(path);
        Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, location, path, message, code));
    }

    /// <summary>Reports a warning.</summary>
    public void Warning(SourceLocation location, string path, string code, string message) =>
        Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, location, path, message, code));

    /// <summary>Reports a note.</summary>
    public void Note(SourceLocation location, string path, string code, string message) =>
        Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Note, location, path, message, code));

    /// <summary>
    /// Records a parsed-but-not-enforced field: a warning at its key and an entry on the document, so the
    /// engine can treat the rule that holds it conservatively.
    /// </summary>
    public void NotEnforcedField(string feature, string path, string reason)
    {
        var location = KeyAt(path, new SourceLocation(FileName, 0, 0));
        NotEnforced.Add(new NotEnforcedFeature(feature, path, location, RuleIndex));
        Warning(location, path, DiagnosticCodes.NotEnforced, $"{feature} is parsed but not enforced: {reason}");
    }
}
