using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Policy.Validation;

/// <summary>
/// Parses prefixes the way Cilium's validation does (Go <c>netip.ParsePrefix</c>): <c>address/length</c>
/// with a decimal length; no netmask notation (so non-contiguous masks cannot be written), no zones.
/// </summary>
internal static class CidrText
{
    /// <summary>Outcome of parsing one prefix.</summary>
    public enum Result
    {
        /// <summary>Parsed; the address had no bits beyond the prefix length.</summary>
        Ok,

        /// <summary>Parsed; host bits were set and have been cleared.</summary>
        HostBitsCleared,

        /// <summary>Not a prefix.</summary>
        Invalid,
    }

    /// <summary>
    /// Parses <paramref name="text"/>. With <paramref name="allowBareAddress"/>, a plain address is a host
    /// prefix (/32, /128), as Cilium accepts in <c>fromCIDR</c>/<c>toCIDR</c>.
    /// </summary>
    public static Result TryParse(string text, bool allowBareAddress, out IPNetwork network, out string error)
    {
        network = default;
        error = string.Empty;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (addressText.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(addressText, out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && !IsDottedQuad(addressText)))
        {
            error = $"'{text}' is not a valid CIDR: '{addressText}' is not an IP address";
            return Result.Invalid;
        }

        var maxBits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int bits;
        if (slash < 0)
        {
            if (!allowBareAddress)
            {
                error = $"'{text}' is not a valid CIDR: the prefix length is missing (e.g. '{text}/{maxBits}')";
                return Result.Invalid;
            }

            bits = maxBits;
        }
        else
        {
            var lengthText = text[(slash + 1)..];
            if (lengthText.Length is 0 or > 3 || !lengthText.All(char.IsAsciiDigit)
                || (lengthText.Length > 1 && lengthText[0] == '0')
                || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > maxBits)
            {
                error = $"'{text}' is not a valid CIDR: the prefix length must be a number in 0..{maxBits}";
                return Result.Invalid;
            }
        }

        var masked = Mask(address, bits);
        network = new IPNetwork(masked, bits);
        return masked.Equals(address) ? Result.Ok : Result.HostBitsCleared;
    }

    /// <summary>True when <paramref name="inner"/> lies entirely within <paramref name="outer"/> (same family, longer or equal prefix).</summary>
    public static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && inner.PrefixLength >= outer.PrefixLength
        && outer.Contains(inner.BaseAddress);

    /// <summary>Four decimal octets without leading zeros: .NET also accepts "10.1" and octal forms, Go does not.</summary>
    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0'));
    }

    private static IPAddress Mask(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
