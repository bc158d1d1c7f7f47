using System.Net;
using System.Runtime.InteropServices;

namespace Sluice.FlowExporter.Model;

/// <summary>
/// An IPv4 or IPv6 address held inline as 16 bytes, so decoded flows carry addresses without allocating.
/// IPv4 addresses occupy the first four bytes (network order), the rest is zero.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct IpAddress16 : IEquatable<IpAddress16>
{
    private ulong _high;
    private ulong _low;

    /// <summary>Copies 4 or 16 address bytes (network order).</summary>
    public static IpAddress16 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 4 && bytes.Length != 16)
        {
            throw new ArgumentException($"an IP address has 4 or 16 bytes, got {bytes.Length}", nameof(bytes));
        }

        IpAddress16 address = default;
        bytes.CopyTo(MemoryMarshal.AsBytes(new Span<IpAddress16>(ref address)));
        return address;
    }

    /// <summary>Builds the inline form of <paramref name="address"/>.</summary>
    public static IpAddress16 FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return FromBytes(bytes[..written]);
    }

    /// <summary>The raw 16 bytes (a view of this value, valid while it lives).</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ReadOnlySpan<byte> AsSpan() =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<IpAddress16>(in this));

    /// <summary>Converts to <see cref="IPAddress"/> for the given IP version (4 or 6); null for any other.</summary>
    public readonly IPAddress? ToIPAddress(byte ipVersion) => ipVersion switch
    {
        4 => new IPAddress(AsSpan()[..4]),
        6 => new IPAddress(AsSpan()),
        _ => null,
    };

    /// <summary>Text form for the given IP version, or empty when the version is unknown.</summary>
    public readonly string ToString(byte ipVersion) => ToIPAddress(ipVersion)?.ToString() ?? string.Empty;

    /// <inheritdoc/>
    public readonly bool Equals(IpAddress16 other) => _high == other._high && _low == other._low;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is IpAddress16 other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => HashCode.Combine(_high, _low);

    /// <summary>Equality.</summary>
    public static bool operator ==(IpAddress16 left, IpAddress16 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(IpAddress16 left, IpAddress16 right) => !left.Equals(right);
}
