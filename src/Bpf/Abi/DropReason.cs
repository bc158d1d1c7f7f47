namespace Sluice.Bpf.Abi;

/// <summary>
/// Mirror of <c>enum sluice_drop_reason</c> (bpf/include/drop_reasons.h); the numbers are Hubble's
/// <c>DropReason</c> values.
/// </summary>
public enum DropReason : byte
{
    /// <summary>Not dropped.</summary>
    None = 0,

    /// <summary>No allow entry matched under default-deny ("Policy denied").</summary>
    PolicyDenied = 133,

    /// <summary>Truncated or inconsistent Ethernet/IP header.</summary>
    InvalidPacket = 134,

    /// <summary>Transport header truncated or bogus.</summary>
    CtTruncatedOrInvalidHeader = 135,

    /// <summary>Ethertype other than IPv4, IPv6 or ARP.</summary>
    UnsupportedL3Protocol = 139,

    /// <summary>IPv6 extension-header chain truncated or too long.</summary>
    InvalidIpv6ExtensionHeader = 156,

    /// <summary>Non-first IP fragment whose first fragment was not seen ("First logical datagram fragment not found").</summary>
    FirstLogicalDatagramFragmentNotFound = 175,

    /// <summary>An explicit deny entry matched ("Policy denied by denylist").</summary>
    PolicyDeny = 181,
}
