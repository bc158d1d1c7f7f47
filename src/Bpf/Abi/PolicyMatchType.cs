namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_match_type</c>; the numbers are Hubble's <c>policy_match_type</c> values.</summary>
public enum PolicyMatchType : byte
{
    /// <summary>No policy entry matched.</summary>
    None = 0,

    /// <summary>Identity-specific entry, any protocol and port.</summary>
    L3Only = 1,

    /// <summary>Identity-specific entry with protocol and port.</summary>
    L3L4 = 2,

    /// <summary>Any-identity entry with protocol and port.</summary>
    L4Only = 3,

    /// <summary>Any-identity entry, any protocol and port.</summary>
    All = 4,

    /// <summary>Identity-specific entry with protocol, any port.</summary>
    L3Proto = 5,

    /// <summary>Any-identity entry with protocol, any port.</summary>
    ProtoOnly = 6,
}
