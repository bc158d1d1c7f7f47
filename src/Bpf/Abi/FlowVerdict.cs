namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_verdict</c>; the numbers are Hubble's <c>Verdict</c> values.</summary>
public enum FlowVerdict : byte
{
    /// <summary>Not set.</summary>
    Unknown = 0,

    /// <summary>The packet was forwarded.</summary>
    Forwarded = 1,

    /// <summary>The packet was dropped.</summary>
    Dropped = 2,

    /// <summary>Would have been dropped; forwarded because of audit mode.</summary>
    Audit = 4,
}
