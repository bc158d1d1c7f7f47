using Sluice.Policy.Diagnostics;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>Assertions that compare a parse result's diagnostics with expectations written by hand.</summary>
internal static class DiagnosticAssert
{
    /// <summary>The diagnostics are exactly <paramref name="expected"/> (any order), and documents are accepted iff there is no error.</summary>
    public static void Exactly(PolicyParseResult result, params ExpectedDiagnostic[] expected) =>
        Match(result.Diagnostics, expected, "diagnostics");

    /// <summary>The errors are exactly <paramref name="expected"/>; warnings and notes are not checked.</summary>
    public static void Errors(PolicyParseResult result, params ExpectedDiagnostic[] expected) =>
        Match(result.Diagnostics.Where(d => d.IsError).ToList(), expected, "errors");

    /// <summary>No error was reported and at least one document was accepted.</summary>
    public static void Accepted(PolicyParseResult result)
    {
        Assert.False(result.HasErrors, "unexpected errors:\n" + Describe(result.Diagnostics));
        Assert.NotEmpty(result.Documents);
    }

    private static void Match(IReadOnlyList<Diagnostic> actual, IReadOnlyList<ExpectedDiagnostic> expected, string what)
    {
        var unmatched = actual.ToList();
        var missing = new List<ExpectedDiagnostic>();
        foreach (var e in expected)
        {
            var hit = unmatched.FirstOrDefault(e.Matches);
            if (hit is null)
            {
                missing.Add(e);
            }
            else
            {
                unmatched.Remove(hit);
            }
        }

        if (missing.Count > 0 || unmatched.Count > 0)
        {
            Assert.Fail($"{what} differ.\nmissing:\n{string.Join("\n", missing.Select(m => "  " + m))}\nunexpected:\n{Describe(unmatched)}\nall actual:\n{Describe(actual)}");
        }
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => "  " + d));
}
