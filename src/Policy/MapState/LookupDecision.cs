namespace Sluice.Policy.MapState;

/// <summary>What the datapath does with an initiating packet, per the map state of one direction.</summary>
public enum LookupDecision
{
    /// <summary>An allow entry matched.</summary>
    Allowed,

    /// <summary>No entry matched and the direction is not default-deny.</summary>
    AllowedNoPolicy,

    /// <summary>A deny entry matched (drop reason POLICY_DENY, 181).</summary>
    Denied,

    /// <summary>No entry matched in a default-deny direction (drop reason POLICY_DENIED, 133).</summary>
    DeniedByDefault,

    /// <summary>A staged (audit) deny matched: forwarded, reported AUDIT.</summary>
    AuditDenied,

    /// <summary>No entry matched in a direction only staged policies make default-deny: forwarded, reported AUDIT.</summary>
    AuditDeniedByDefault,
}
