using System.Net;
using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>
/// Mirror of <c>struct sluice_ipcache_key</c>, the LPM-trie key of <c>sluice_ipcache</c>. The prefix length
/// counts the family byte and three pad bytes, so an address prefix of N bits is stored as 32 + N.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct IpcacheKey
{
    /// <summary>sizeof(struct sluice_ipcache_key).</summary>
    public const int Size = 24;

    /// <summary>Bits of the key before the address (family + pad).</summary>
    public const int PrefixBase = 32;

    /// <summary>LPM prefix length in bits, <see cref="PrefixBase"/> + the address prefix length.</summary>
    public uint PrefixLength;

    /// <summary>4 or 6.</summary>
    public byte Family;

    private byte _pad0;
    private byte _pad1;
    private byte _pad2;

    /// <summary>The address, IPv4 in the first four bytes.</summary>
    public AddressBytes Address;

    /// <summary>The key for <paramref name="prefix"/>/<paramref name="prefixLength"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The prefix length exceeds the address size.</exception>
    public static IpcacheKey For(IPAddress prefix, int prefixLength)
    {
        var family = AddressFamilyCode.Of(prefix);
        var maxBits = family == AddressFamilyCode.IPv4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > maxBits)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"Prefix length must be 0..{maxBits} for {prefix}.");
        }

        return new IpcacheKey
        {
            PrefixLength = (uint)(PrefixBase + prefixLength),
            Family = family,
            Address = AddressBytes.From(prefix),
        };
    }

    /// <summary>The key for one host address (full-length prefix).</summary>
    public static IpcacheKey ForHost(IPAddress address) =>
        For(address, AddressFamilyCode.Of(address) == AddressFamilyCode.IPv4 ? 32 : 128);
}
