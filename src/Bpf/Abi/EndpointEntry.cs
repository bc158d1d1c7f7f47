using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>
/// Mirror of <c>struct sluice_endpoint</c>, the value of <c>sluice_endpoints</c> (key: the host-side
/// interface's ifindex as <see cref="uint"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct EndpointEntry
{
    /// <summary>sizeof(struct sluice_endpoint).</summary>
    public const int Size = 16;

    /// <summary>The endpoint's own security identity.</summary>
    public uint Identity;

    /// <summary>The endpoint id, also the first field of its policy keys.</summary>
    public ushort EndpointId;

    /// <summary>Enforce or audit.</summary>
    public PolicyMode PolicyMode;

    /// <summary>Directions in default-deny.</summary>
    public DefaultDenyDirections DefaultDeny;

    /// <summary>Policy slot (0 or 1) the datapath reads; flipping it publishes a new policy at once.</summary>
    public byte ActiveSlot;

    private byte _pad0;
    private byte _pad1;
    private byte _pad2;

    /// <summary>Revision of the policy in the active slot; conntrack re-checks flows when it changes.</summary>
    public uint PolicyRevision;
}
