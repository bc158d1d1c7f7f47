namespace Sluice.Daemon.Configuration;

/// <summary>The <c>policy:</c> section.</summary>
public sealed class PolicyOptions
{
    /// <summary>Default policy directory.</summary>
    public const string DefaultDir = "/etc/sluice/policies";

    /// <summary>Directories whose policy files are loaded and watched; changes apply without restart.</summary>
    public IReadOnlyList<string> Dirs { get; set; } = [DefaultDir];

    /// <summary>default | always | never.</summary>
    public PolicyEnforcement Enforcement { get; set; } = PolicyEnforcement.Default;

    /// <summary>When true nothing is dropped; would-be drops are reported with verdict AUDIT.</summary>
    public bool AuditMode { get; set; }
}
