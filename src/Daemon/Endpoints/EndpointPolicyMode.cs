namespace Sluice.Daemon.Endpoints;

/// <summary>An endpoint's <c>policyMode</c> override (DESIGN §4.3).</summary>
public enum EndpointPolicyMode
{
    /// <summary>Follow the global <c>policy.auditMode</c>.</summary>
    Inherit,

    /// <summary>Drop what policy denies (unless global audit mode is on).</summary>
    Enforce,

    /// <summary>Forward everything; would-be drops are reported with verdict AUDIT.</summary>
    Audit,
}
