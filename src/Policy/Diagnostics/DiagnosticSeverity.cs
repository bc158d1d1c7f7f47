namespace Sluice.Policy.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The document is rejected: it is not returned as a valid policy.</summary>
    Error,

    /// <summary>The document is accepted but something in it deserves attention (for example a field that is parsed but not enforced).</summary>
    Warning,

    /// <summary>Information only, for example a non-policy document that was skipped.</summary>
    Note,
}
