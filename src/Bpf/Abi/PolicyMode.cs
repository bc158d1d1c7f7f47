namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_policy_mode</c>: what happens to packets the policy would drop.</summary>
public enum PolicyMode : byte
{
    /// <summary>Drop them.</summary>
    Enforce = 0,

    /// <summary>Forward them with verdict audit and the would-be drop reason.</summary>
    Audit = 1,
}
