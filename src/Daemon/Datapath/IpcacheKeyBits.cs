using System.Net;
using System.Runtime.InteropServices;
using Sluice.Bpf.Abi;
using Sluice.Policy.Identities;

namespace Sluice.Daemon.Datapath;

/// <summary>
/// The bytes of <c>struct sluice_ipcache_key</c> without an inline array, so keys can be enumerated with
/// <see cref="Bpf.BpfMap.GetKeys{TKey}"/> (which deduplicates through value equality, and inline arrays have
/// none). Same size and layout as <see cref="IpcacheKey"/>; only used to read keys back.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IpcacheKeyBits
{
    public uint PrefixLength;
    public byte Family;
    public byte Pad0;
    public byte Pad1;
    public byte Pad2;
    public ulong Address0;
    public ulong Address1;

    /// <summary>The prefix this key stands for.</summary>
    public readonly IpPrefix ToPrefix()
    {
        Span<byte> bytes = stackalloc byte[16];
        MemoryMarshal.Write(bytes, in Address0);
        MemoryMarshal.Write(bytes[8..], in Address1);
        var address = Family == AddressFamilyCode.IPv4 ? new IPAddress(bytes[..4]) : new IPAddress(bytes);
        int length = (int)PrefixLength - IpcacheKey.PrefixBase;
        return IpPrefix.TryParse($"{address}/{length}", out var prefix) ? prefix : IpPrefix.FromAddress(address);
    }
}
