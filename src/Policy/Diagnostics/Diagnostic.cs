using System.Globalization;

namespace Sluice.Policy.Diagnostics;

/// <summary>
/// One finding about a policy source: where it is, which field it concerns, and why.
/// </summary>
/// <param name="Severity">Error, warning or note.</param>
/// <param name="Location">File, line and column of the offending node.</param>
/// <param name="FieldPath">Path of the field inside the document, e.g. <c>specs[0].ingress[1].toPorts[0].ports[0].endPort</c>; empty for whole-document findings.</param>
/// <param name="Message">Human-readable reason.</param>
/// <param name="Code">Stable machine-readable code, one of <see cref="DiagnosticCodes"/>.</param>
public sealed record Diagnostic(
    DiagnosticSeverity Severity,
    SourceLocation Location,
    string FieldPath,
    string Message,
    string Code)
{
    /// <summary>True for <see cref="DiagnosticSeverity.Error"/>.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Formats as <c>file:line:col: error: path: message</c> (the path part is left out when empty).</summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "note",
        };
        return string.IsNullOrEmpty(FieldPath)
            ? string.Create(CultureInfo.InvariantCulture, $"{Location}: {severity}: {Message}")
            : string.Create(CultureInfo.InvariantCulture, $"{Location}: {severity}: {FieldPath}: {Message}");
    }
}
