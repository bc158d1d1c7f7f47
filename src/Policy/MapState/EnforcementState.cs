namespace Sluice.Policy.MapState;

/// <summary>What the datapath does, in one direction, with traffic no map-state entry matches.</summary>
public enum EnforcementState
{
    /// <summary>Not default-deny: unmatched traffic passes (only deny entries drop).</summary>
    Off,

    /// <summary>Default-deny: unmatched traffic is dropped (drop reason POLICY_DENIED).</summary>
    DefaultDeny,

    /// <summary>
    /// Only audit (staged) policies would make the direction default-deny: unmatched traffic passes and is
    /// reported with verdict AUDIT.
    /// </summary>
    AuditDefaultDeny,
}
