using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>struct sluice_ct_value</c>. Times are CLOCK_BOOTTIME nanoseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ConntrackValue
{
    /// <summary>sizeof(struct sluice_ct_value).</summary>
    public const int Size = 96;

    /// <summary>When the flow's first packet was seen.</summary>
    public ulong CreatedNs;

    /// <summary>When the flow's last packet was seen.</summary>
    public ulong LastSeenNs;

    /// <summary>When the last periodic report (or the flow) started.</summary>
    public ulong LastReportNs;

    /// <summary>Packets in the initiating direction (dropped ones included).</summary>
    public ulong PacketsForward;

    /// <summary>Bytes in the initiating direction.</summary>
    public ulong BytesForward;

    /// <summary>Reply packets.</summary>
    public ulong PacketsReverse;

    /// <summary>Reply bytes.</summary>
    public ulong BytesReverse;

    /// <summary>Start of the current one-second drop-event window.</summary>
    public ulong DropWindowNs;

    /// <summary>The peer's identity when last decided.</summary>
    public uint RemoteIdentity;

    /// <summary>Endpoint policy revision the verdict was taken under.</summary>
    public uint PolicyRevision;

    /// <summary>Rule set that decided.</summary>
    public uint PolicyRef;

    /// <summary>Drop events held back since the last emitted one.</summary>
    public uint SuppressedDrops;

    /// <summary>Drop events emitted in the current window.</summary>
    public uint DropsInWindow;

    /// <summary>Connection state.</summary>
    public ConntrackState State;

    /// <summary>Verdict for the initiating direction.</summary>
    public FlowVerdict Verdict;

    /// <summary>Drop reason (or would-be reason for audit).</summary>
    public DropReason DropReason;

    /// <summary>How the deciding entry matched.</summary>
    public PolicyMatchType MatchType;

    /// <summary>Union of TCP flags seen in the initiating direction.</summary>
    public byte TcpFlagsForward;

    /// <summary>Union of TCP flags seen in replies.</summary>
    public byte TcpFlagsReverse;

    private ushort _pad0;
    private uint _pad1;
}
