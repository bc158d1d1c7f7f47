using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Policy.Identities;

/// <summary>
/// An IPv4 or IPv6 prefix (<c>10.0.0.0/8</c>, <c>fd00::/8</c>), stored canonically with its host bits
/// cleared so that equal prefixes compare equal whatever text they were written as.
/// </summary>
public readonly record struct IpPrefix : IComparable<IpPrefix>
{
    private readonly UInt128 _bits;

    private IpPrefix(AddressFamily family, UInt128 bits, int length)
    {
        Family = family;
        Length = length;
        _bits = bits & Mask(MaxLength(family), length);
    }

    /// <summary>IPv4 (<see cref="AddressFamily.InterNetwork"/>) or IPv6.</summary>
    public AddressFamily Family { get; }

    /// <summary>The prefix length in bits.</summary>
    public int Length { get; }

    /// <summary>Whether this is an IPv4 prefix.</summary>
    public bool IsIPv4 => Family == AddressFamily.InterNetwork;

    /// <summary>The network address.</summary>
    public IPAddress Address
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, _bits);
            return IsIPv4 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
        }
    }

    /// <summary>Parses <c>address/length</c>; a bare address is a host prefix (/32 or /128).</summary>
    public static bool TryParse(string? text, out IpPrefix prefix)
    {
        prefix = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && !addressText.Contains(':', StringComparison.Ordinal))
        {
            address = address.MapToIPv4();
        }

        int max = MaxLength(address.AddressFamily);
        int length = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length)
            || length > max))
        {
            return false;
        }

        prefix = new IpPrefix(address.AddressFamily, ToBits(address), length);
        return true;
    }

    /// <summary>Parses <c>address/length</c>.</summary>
    /// <exception cref="FormatException">The text is not a prefix.</exception>
    public static IpPrefix Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not an IP prefix (address/length)");

    /// <summary>The host prefix of one address.</summary>
    public static IpPrefix FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new IpPrefix(address.AddressFamily, ToBits(address), MaxLength(address.AddressFamily));
    }

    /// <summary>The prefix of a parsed network (<see cref="IPNetwork"/>), host bits cleared.</summary>
    public static IpPrefix FromNetwork(IPNetwork network)
    {
        var address = network.BaseAddress;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new IpPrefix(address.AddressFamily, ToBits(address), Math.Min(network.PrefixLength, MaxLength(address.AddressFamily)));
    }

    /// <summary>Whether <paramref name="other"/> lies inside this prefix (a prefix contains itself).</summary>
    public bool Contains(IpPrefix other) =>
        other.Family == Family && other.Length >= Length && (other._bits & Mask(MaxLength(Family), Length)) == _bits;

    /// <summary>Whether <paramref name="address"/> lies inside this prefix.</summary>
    public bool Contains(IPAddress address) => Contains(FromAddress(address));

    /// <inheritdoc/>
    public int CompareTo(IpPrefix other)
    {
        int c = ((int)Family).CompareTo((int)other.Family);
        if (c != 0)
        {
            return c;
        }

        c = _bits.CompareTo(other._bits);
        return c != 0 ? c : Length.CompareTo(other.Length);
    }

    /// <summary><c>address/length</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address}/{Length}");

    private static int MaxLength(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    private static UInt128 Mask(int max, int length) =>
        length == 0 ? UInt128.Zero : (UInt128.MaxValue << (128 - length)) >> (128 - max);

    private static UInt128 ToBits(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        var raw = address.GetAddressBytes();
        raw.CopyTo(bytes[(16 - raw.Length)..]);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <(IpPrefix left, IpPrefix right) => left.CompareTo(right) < 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator <=(IpPrefix left, IpPrefix right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >(IpPrefix left, IpPrefix right) => left.CompareTo(right) > 0;

    /// <summary>Ordering operator, consistent with <see cref="CompareTo"/>.</summary>
    public static bool operator >=(IpPrefix left, IpPrefix right) => left.CompareTo(right) >= 0;
}
