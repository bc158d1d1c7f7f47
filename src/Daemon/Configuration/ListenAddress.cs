using System.Globalization;
using System.Net;

namespace Sluice.Daemon.Configuration;

/// <summary>
/// A TCP listen address <c>host:port</c>: an IPv4 address, a bracketed IPv6 address (<c>[::1]:9965</c>),
/// <c>localhost</c>, or an empty host (<c>:9965</c>) for every interface.
/// </summary>
/// <param name="Address">The address to bind, or null for every interface.</param>
/// <param name="IsLocalhost">Whether the host was written <c>localhost</c> (loopback on both families).</param>
/// <param name="Port">TCP port, 1–65535.</param>
public sealed record ListenAddress(IPAddress? Address, bool IsLocalhost, int Port)
{
    /// <summary>Whether only this host can connect (loopback address or <c>localhost</c>).</summary>
    public bool IsLoopback => IsLocalhost || (Address is not null && IPAddress.IsLoopback(Address));

    /// <summary>Parses <c>host:port</c>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out ListenAddress? address, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        error = string.Empty;
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"'{text}' is not host:port (e.g. 127.0.0.1:9965 or [::1]:9965)";
            return false;
        }

        string host = text[..colon];
        string portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            error = $"'{text}' has port '{portText}'; expected a number from 1 to 65535";
            return false;
        }

        if (host.Length == 0)
        {
            address = new ListenAddress(null, false, port);
            return true;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(null, true, port);
            return true;
        }

        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        string bare = bracketed ? host[1..^1] : host;
        if (!IPAddress.TryParse(bare, out var ip) || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != bracketed
            || (!bracketed && bare.Count(c => c == '.') != 3))
        {
            error = $"'{text}' has host '{host}'; expected an IPv4 address, a bracketed IPv6 address or localhost";
            return false;
        }

        address = new ListenAddress(ip, false, port);
        return true;
    }

    /// <summary><c>host:port</c>.</summary>
    public override string ToString()
    {
        string host = IsLocalhost ? "localhost"
            : Address is null ? string.Empty
            : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]"
            : Address.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{Port}");
    }
}
