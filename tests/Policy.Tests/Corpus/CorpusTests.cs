using System.Text;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Corpus;

/// <summary>
/// Runs every file of the cilium-examples corpus through <see cref="PolicyLoader"/> and compares the
/// outcome with the expectation written for it in expectations.yaml (by reading the policy against the
/// reference, independently of the parser). Errors, not-enforced warnings and skip notes are compared
/// exactly: every expected finding must be reported at its line, and nothing else may be reported.
/// </summary>
public sealed class CorpusTests
{
    /// <summary>Every corpus file, as theory data.</summary>
    public static TheoryData<string> CorpusFiles() => new(CorpusLocator.PolicyFiles());

    [Fact]
    public void Expectations_CoverEveryCorpusFile_AndNothingElse()
    {
        var files = CorpusLocator.PolicyFiles();
        var expected = CorpusExpectations.ByPath.Keys.ToHashSet(StringComparer.Ordinal);

        Assert.Equal(136, files.Count);
        var withoutExpectation = files.Where(f => !expected.Contains(f)).ToList();
        var withoutFile = expected.Where(p => !files.Contains(p, StringComparer.Ordinal)).ToList();
        Assert.True(withoutExpectation.Count == 0, "no expectation for: " + string.Join(", ", withoutExpectation));
        Assert.True(withoutFile.Count == 0, "expectation without a corpus file: " + string.Join(", ", withoutFile));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void CorpusFile_ValidatesAsExpected(string relativePath)
    {
        var expectation = CorpusExpectations.ByPath[relativePath];
        var result = PolicyLoader.LoadPaths([Path.Combine(CorpusLocator.CorpusRoot, relativePath)]);
        var problems = new List<string>();

        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (expectation.IsAccepted)
        {
            if (errors.Count > 0 || result.HasErrors)
            {
                problems.Add("expected the file to be accepted, but it has errors");
            }

            if (expectation.Documents is { } documents && result.Documents.Count != documents)
            {
                problems.Add($"expected {documents} policy document(s), got {result.Documents.Count}");
            }

            int rules = result.Documents.Sum(d => d.Rules.Count);
            if (expectation.Rules is { } expectedRules && rules != expectedRules)
            {
                problems.Add($"expected {expectedRules} rule(s), got {rules}");
            }

            CompareWarnings(expectation, result.Diagnostics, problems);

            // The documents carry the same not-enforced findings the warnings report, so the engine can
            // treat dependent rules conservatively (one entry per warning, at the same line).
            var recorded = result.Documents.SelectMany(d => d.NotEnforced).Select(f => f.Location.Line).Order().ToList();
            var warned = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.NotEnforced).Select(d => d.Location.Line).Order().ToList();
            if (!recorded.SequenceEqual(warned))
            {
                problems.Add($"documents record not-enforced features at lines [{string.Join(", ", recorded)}] but warnings are at [{string.Join(", ", warned)}]");
            }
            CompareFindings("note", expectation.Notes,
                [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Note && d.Code == DiagnosticCodes.SkippedDocument)], problems);
        }
        else
        {
            if (errors.Count == 0 || !result.HasErrors)
            {
                problems.Add("expected the file to be rejected, but it has no errors");
            }

            // A document with errors is not returned; every rejected corpus file holds one policy document,
            // so none may come back unless the expectation says otherwise.
            int expectedDocuments = expectation.Documents ?? 0;
            if (result.Documents.Count != expectedDocuments)
            {
                problems.Add($"expected {expectedDocuments} valid document(s) from a rejected file, got {result.Documents.Count}");
            }

            CompareFindings("error", expectation.Errors, errors, problems);
        }

        if (problems.Count > 0)
        {
            var report = new StringBuilder();
            report.AppendLine($"{relativePath}:");
            foreach (var problem in problems)
            {
                report.AppendLine("  - " + problem);
            }

            report.AppendLine("  parser output:");
            foreach (var diagnostic in result.Diagnostics)
            {
                report.AppendLine($"    [{diagnostic.Code}] {diagnostic}");
            }

            Assert.Fail(report.ToString());
        }
    }

    [Fact]
    public void WholeCorpusDirectory_LoadsAsTheSumOfItsFiles()
    {
        var whole = PolicyLoader.LoadPaths([CorpusLocator.CorpusRoot]);
        int documents = 0, errors = 0;
        foreach (var file in CorpusLocator.PolicyFiles())
        {
            var single = PolicyLoader.LoadPaths([Path.Combine(CorpusLocator.CorpusRoot, file)]);
            documents += single.Documents.Count;
            errors += single.Diagnostics.Count(d => d.IsError);
        }

        Assert.Equal(documents, whole.Documents.Count);
        Assert.Equal(errors, whole.Diagnostics.Count(d => d.IsError));
        Assert.True(whole.HasErrors);
    }

    private static void CompareWarnings(CorpusExpectation expectation, IReadOnlyList<Diagnostic> diagnostics, List<string> problems)
    {
        var actual = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning && d.Code == DiagnosticCodes.NotEnforced).ToList();
        var unmatched = new List<Diagnostic>(actual);
        foreach (var warning in expectation.Warnings)
        {
            var match = unmatched.FirstOrDefault(d => d.Location.Line == warning.Line && Mentions(d, warning.Feature));
            if (match is null)
            {
                problems.Add($"missing not-enforced warning {warning}");
            }
            else
            {
                unmatched.Remove(match);
            }
        }

        foreach (var extra in unmatched)
        {
            problems.Add($"unexpected not-enforced warning: {extra}");
        }
    }

    private static void CompareFindings(string kind, IReadOnlyList<ExpectedFinding> expected, IReadOnlyList<Diagnostic> actual, List<string> problems)
    {
        foreach (var finding in expected)
        {
            if (!actual.Any(d => finding.AcceptableLines.Contains(d.Location.Line) && Mentions(d, finding.Contains)))
            {
                problems.Add($"missing {kind} {finding}");
            }
        }

        foreach (var diagnostic in actual)
        {
            if (!expected.Any(f => f.AcceptableLines.Contains(diagnostic.Location.Line)))
            {
                problems.Add($"unexpected {kind} at line {diagnostic.Location.Line}: {diagnostic}");
            }
        }
    }

    private static bool Mentions(Diagnostic diagnostic, string fragment) =>
        diagnostic.FieldPath.Contains(fragment, StringComparison.OrdinalIgnoreCase)
        || diagnostic.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase)
        || diagnostic.Code.Contains(fragment, StringComparison.OrdinalIgnoreCase);
}
