using Sluice.Policy.Model;

namespace Sluice.Policy.Validation;

/// <summary>
/// ICMP and ICMPv6 type names Cilium accepts in <c>icmps[].fields[].type</c> (pkg/policy/api/icmp.go),
/// with their type numbers (RFC 792 and RFC 4443 registries). Lookup is exact, as Cilium's is.
/// </summary>
internal static class IcmpTypeNames
{
    private static readonly Dictionary<string, byte> V4 = new(StringComparer.Ordinal)
    {
        ["EchoReply"] = 0,
        ["DestinationUnreachable"] = 3,
        ["Redirect"] = 5,
        ["Echo"] = 8,
        ["EchoRequest"] = 8,
        ["RouterAdvertisement"] = 9,
        ["RouterSelection"] = 10,
        ["TimeExceeded"] = 11,
        ["ParameterProblem"] = 12,
        ["Timestamp"] = 13,
        ["TimestampReply"] = 14,
        ["Photuris"] = 40,
        ["ExtendedEchoRequest"] = 42,
        ["ExtendedEchoReply"] = 43,
    };

    private static readonly Dictionary<string, byte> V6 = new(StringComparer.Ordinal)
    {
        ["DestinationUnreachable"] = 1,
        ["PacketTooBig"] = 2,
        ["TimeExceeded"] = 3,
        ["ParameterProblem"] = 4,
        ["EchoRequest"] = 128,
        ["EchoReply"] = 129,
        ["MulticastListenerQuery"] = 130,
        ["MulticastListenerReport"] = 131,
        ["MulticastListenerDone"] = 132,
        ["RouterSolicitation"] = 133,
        ["RouterAdvertisement"] = 134,
        ["NeighborSolicitation"] = 135,
        ["NeighborAdvertisement"] = 136,
        ["RedirectMessage"] = 137,
        ["RouterRenumbering"] = 138,
        ["ICMPNodeInformationQuery"] = 139,
        ["ICMPNodeInformationResponse"] = 140,
        ["InverseNeighborDiscoverySolicitation"] = 141,
        ["InverseNeighborDiscoveryAdvertisement"] = 142,
        ["HomeAgentAddressDiscoveryRequest"] = 144,
        ["HomeAgentAddressDiscoveryReply"] = 145,
        ["MobilePrefixSolicitation"] = 146,
        ["MobilePrefixAdvertisement"] = 147,
        ["DuplicateAddressRequestCodeSuffix"] = 157,
        ["DuplicateAddressConfirmationCodeSuffix"] = 158,
        ["ExtendedEchoRequest"] = 160,
        ["ExtendedEchoReply"] = 161,
    };

    /// <summary>The names defined for a family.</summary>
    public static IReadOnlyCollection<string> NamesFor(IpFamily family) => (family == IpFamily.IPv4 ? V4 : V6).Keys;

    /// <summary>Resolves a type name for a family.</summary>
    public static bool TryParse(IpFamily family, string name, out byte type) =>
        (family == IpFamily.IPv4 ? V4 : V6).TryGetValue(name, out type);
}
