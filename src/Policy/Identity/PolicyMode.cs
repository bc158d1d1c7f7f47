namespace Sluice.Policy.Identities;

/// <summary>Per-endpoint policy mode: enforce drops, audit only reports would-be drops.</summary>
public enum PolicyMode
{
    /// <summary>Drops what policy denies.</summary>
    Enforce,

    /// <summary>Forwards everything; would-be drops are reported with verdict AUDIT (a datapath flag).</summary>
    Audit,
}
