using System.Net;
using System.Net.Sockets;

namespace Sluice.Bpf.Abi;

/// <summary>The datapath's family byte: 4 for IPv4, 6 for IPv6.</summary>
public static class AddressFamilyCode
{
    /// <summary>IPv4.</summary>
    public const byte IPv4 = 4;

    /// <summary>IPv6.</summary>
    public const byte IPv6 = 6;

    /// <summary>The family byte of <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public static byte Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IPv4,
            AddressFamily.InterNetworkV6 => IPv6,
            _ => throw new ArgumentException($"Address {address} is neither IPv4 nor IPv6.", nameof(address)),
        };
    }
}
