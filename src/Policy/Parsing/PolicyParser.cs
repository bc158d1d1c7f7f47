using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Parses policy text (YAML with one or more documents, or JSON) into validated <see cref="PolicyDocument"/>s.
/// Never throws on malformed input: every problem becomes a located <see cref="Diagnostic"/>, and a
/// document with any error is left out of <see cref="PolicyParseResult.Documents"/>.
/// </summary>
public static class PolicyParser
{
    /// <summary>
    /// Parses <paramref name="text"/>. <paramref name="fileName"/> appears in every location; a name ending in
    /// <c>.json</c> selects the JSON reader, otherwise text starting with <c>{</c> or <c>[</c> is tried as JSON
    /// first and YAML is used when it is not strict JSON.
    /// </summary>
    public static PolicyParseResult ParseText(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new List<Diagnostic>();
        var documents = new List<PolicyDocument>();
        var context = new ParseContext(fileName, diagnostics);
        foreach (var source in ReadSource(text.TrimStart('\uFEFF'), fileName, diagnostics))
        {
            DocumentReader.Read(source, context, documents);
        }

        // Readers report in the order they finish checking (a rule's cross-field errors after its fields);
        // users read diagnostics top to bottom, so they are ordered by position (stable for equal positions).
        return new PolicyParseResult(documents, [.. diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column)]);
    }

    private static IReadOnlyList<SourceDocument> ReadSource(string text, string fileName, List<Diagnostic> diagnostics)
    {
        if (fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return JsonSourceReader.Read(text, fileName, diagnostics) is { } json ? [json] : [];
        }

        var first = text.AsSpan().TrimStart();
        if (!first.IsEmpty && first[0] is '{' or '[')
        {
            var jsonDiagnostics = new List<Diagnostic>();
            if (JsonSourceReader.Read(text, fileName, jsonDiagnostics) is { } json)
            {
                diagnostics.AddRange(jsonDiagnostics);
                return [json];
            }
        }

        return YamlSourceReader.Read(text, fileName, diagnostics);
    }
}
