using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>A diagnostic a test expects: severity, 1-based line and column, exact field path, and a fragment of the message.</summary>
internal sealed record ExpectedDiagnostic(DiagnosticSeverity Severity, int Line, int Column, string Path, string Fragment)
{
    public static ExpectedDiagnostic Error(int line, int column, string path, string fragment) =>
        new(DiagnosticSeverity.Error, line, column, path, fragment);

    public static ExpectedDiagnostic Warning(int line, int column, string path, string fragment) =>
        new(DiagnosticSeverity.Warning, line, column, path, fragment);

    public static ExpectedDiagnostic Note(int line, int column, string path, string fragment) =>
        new(DiagnosticSeverity.Note, line, column, path, fragment);

    public bool Matches(Diagnostic actual) =>
        actual.Severity == Severity
        && actual.Location.Line == Line
        && actual.Location.Column == Column
        && actual.FieldPath == Path
        && actual.Message.Contains(Fragment, StringComparison.Ordinal);

    public override string ToString() => $"{Line}:{Column}: {Severity}: {Path}: …{Fragment}…";
}
