namespace Sluice.Policy.Engine;

/// <summary>The agent-wide policy enforcement mode (Cilium's <c>enable-policy</c>).</summary>
public enum EnforcementMode
{
    /// <summary>An endpoint is unrestricted in a direction until a rule selecting it asks for default-deny.</summary>
    Default,

    /// <summary>Every endpoint is default-deny in both directions, selected or not.</summary>
    Always,

    /// <summary>No enforcement at all: map states are empty and every direction is off.</summary>
    Never,
}
