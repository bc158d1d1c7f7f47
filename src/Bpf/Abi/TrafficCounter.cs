using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>struct sluice_counter</c>, one per-CPU slot of <c>sluice_counters</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct TrafficCounter
{
    /// <summary>sizeof(struct sluice_counter).</summary>
    public const int Size = 16;

    /// <summary>Packets counted.</summary>
    public ulong Packets;

    /// <summary>Bytes counted (skb length, including the Ethernet header).</summary>
    public ulong Bytes;
}
