using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Sluice.Bpf.Abi;

/// <summary>
/// The 16-byte address field shared by the datapath's keys and flow records (<c>__u8 addr[16]</c>):
/// an IPv6 address, or an IPv4 address in the first four bytes with the rest zero, network order.
/// </summary>
[InlineArray(Size)]
public struct AddressBytes
{
    /// <summary>Size of the field in bytes.</summary>
    public const int Size = 16;

    private byte _element0;

    /// <summary>Encodes <paramref name="address"/> the way the datapath stores it.</summary>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public static AddressBytes From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Address {address} is neither IPv4 nor IPv6.", nameof(address));
        }

        var bytes = new AddressBytes();
        address.TryWriteBytes(bytes, out _);
        return bytes;
    }

    /// <summary>Decodes the field as an address of the given family (4 or 6).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not 4 or 6.</exception>
    public readonly IPAddress ToAddress(byte family)
    {
        ReadOnlySpan<byte> span = this;
        return family switch
        {
            4 => new IPAddress(span[..4]),
            6 => new IPAddress(span),
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Address family must be 4 or 6."),
        };
    }
}
