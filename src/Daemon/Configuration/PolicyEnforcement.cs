namespace Sluice.Daemon.Configuration;

/// <summary>Cilium's policy enforcement modes (<c>policy.enforcement</c>).</summary>
public enum PolicyEnforcement
{
    /// <summary>An endpoint is enforced in a direction only once a policy selects it in that direction.</summary>
    Default,

    /// <summary>Every endpoint is default-deny in both directions, selected or not.</summary>
    Always,

    /// <summary>No endpoint is enforced; everything is allowed.</summary>
    Never,
}
