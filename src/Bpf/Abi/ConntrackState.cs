namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_ct_state</c> (bpf/include/maps.h).</summary>
public enum ConntrackState : byte
{
    /// <summary>Only the initiating direction has been seen.</summary>
    New = 0,

    /// <summary>A reply has been seen.</summary>
    Established = 1,

    /// <summary>FIN or RST seen; the entry expires after the TCP close timeout.</summary>
    Closing = 2,
}
