using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>struct sluice_policy_value</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PolicyValue
{
    /// <summary>sizeof(struct sluice_policy_value).</summary>
    public const int Size = 8;

    /// <summary>1: explicit deny (drop reason 181); 0: allow.</summary>
    public byte Deny;

    /// <summary>1: a deny that only audits (forwarded with verdict audit).</summary>
    public byte Audit;

    /// <summary>Copy of the key's prefix length; the datapath reports it as the match type.</summary>
    public byte PrefixLength;

    private byte _pad;

    /// <summary>Identifier of the rule set that produced the entry (reported in flow records).</summary>
    public uint PolicyRef;

    /// <summary>An allow value for <paramref name="key"/>.</summary>
    public static PolicyValue Allow(in PolicyKey key, uint policyRef) =>
        new() { PrefixLength = (byte)key.PrefixLength, PolicyRef = policyRef };

    /// <summary>A deny value for <paramref name="key"/>; <paramref name="auditOnly"/> forwards instead of dropping.</summary>
    public static PolicyValue DenyFor(in PolicyKey key, uint policyRef, bool auditOnly = false) =>
        new() { Deny = 1, Audit = auditOnly ? (byte)1 : (byte)0, PrefixLength = (byte)key.PrefixLength, PolicyRef = policyRef };
}
