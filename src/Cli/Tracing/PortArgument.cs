using System.Globalization;
using Sluice.Policy.MapState;

namespace Sluice.Cli.Tracing;

/// <summary>
/// Parses <c>--dport</c>: <c>PORT[/PROTO]</c> with PROTO one of TCP, UDP, SCTP (default TCP, as
/// <c>cilium policy trace</c> assumes), or <c>TYPE/ICMP</c> and <c>TYPE/ICMPv6</c> for an ICMP type,
/// which the map state keys by the type in the port field as Cilium does.
/// </summary>
internal static class PortArgument
{
    /// <summary>Parses <paramref name="text"/> into (IP protocol number, port or ICMP type).</summary>
    /// <exception cref="FormatException">The text is not a port/protocol pair.</exception>
    public static (byte Protocol, ushort Port) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string portText = slash < 0 ? text : text[..slash];
        string protocolText = slash < 0 ? "TCP" : text[(slash + 1)..];
        byte protocol = protocolText.ToUpperInvariant() switch
        {
            "TCP" => IpProtocol.Tcp,
            "UDP" => IpProtocol.Udp,
            "SCTP" => IpProtocol.Sctp,
            "ICMP" => IpProtocol.Icmp,
            "ICMPV6" => IpProtocol.IcmpV6,
            _ => throw new FormatException($"'{protocolText}' is not a protocol (TCP, UDP, SCTP, ICMP or ICMPv6)"),
        };
        bool isIcmp = IpProtocol.IsIcmp(protocol);
        if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port)
            || (isIcmp ? port > byte.MaxValue : port == 0))
        {
            throw new FormatException(isIcmp
                ? $"'{portText}' is not an ICMP type (0–255)"
                : $"'{portText}' is not a port (1–65535)");
        }

        return (protocol, port);
    }
}
