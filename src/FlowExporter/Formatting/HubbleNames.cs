using Sluice.Api.Flow;

namespace Sluice.FlowExporter.Formatting;

/// <summary>
/// The strings Hubble prints for numeric codes: drop-reason texts, trace observation points, policy match
/// types, ICMP type names and L4 protocol names. Values mirror cilium's pkg/monitor/api (drop.go,
/// datapath_trace.go, datapath_policy.go) and gopacket's ICMP type names so `sluice observe` and the
/// metrics read exactly like `hubble observe` and Hubble's metrics.
/// </summary>
public static class HubbleNames
{
    /// <summary>Monitor message type of drop events.</summary>
    public const int MessageTypeDrop = 1;

    /// <summary>Monitor message type of trace events.</summary>
    public const int MessageTypeTrace = 4;

    /// <summary>Monitor message type of policy-verdict events.</summary>
    public const int MessageTypePolicyVerdict = 5;

    /// <summary>Monitor trace sub type "to-endpoint".</summary>
    public const int TraceToEndpoint = 0;

    /// <summary>Monitor trace sub type "from-endpoint".</summary>
    public const int TraceFromEndpoint = 5;

    private static readonly string[] TracePoints =
    [
        "to-endpoint", "to-proxy", "to-host", "to-stack", "to-overlay", "from-endpoint", "from-proxy",
        "from-host", "from-stack", "from-overlay", "from-network", "to-network", "from-crypto", "to-crypto",
    ];

    private static readonly string[] MatchTypes = ["none", "L3-Only", "L3-L4", "L4-Only", "all", "L3-Proto", "Proto-Only"];

    private static readonly Dictionary<int, string> DropTexts = new()
    {
        [132] = "Invalid source ip",
        [133] = "Policy denied",
        [134] = "Invalid packet",
        [135] = "CT: Truncated or invalid header",
        [136] = "CT: Missing TCP ACK flag",
        [137] = "CT: Unknown L4 protocol",
        [139] = "Unsupported L3 protocol",
        [140] = "Missed tail call",
        [141] = "Error writing to packet",
        [142] = "Unknown L4 protocol",
        [143] = "Unknown ICMPv4 code",
        [144] = "Unknown ICMPv4 type",
        [145] = "Unknown ICMPv6 code",
        [146] = "Unknown ICMPv6 type",
        [151] = "Stale or unroutable IP",
        [155] = "CT: Map insertion failed",
        [156] = "Invalid IPv6 extension header",
        [157] = "IP fragmentation not supported",
        [163] = "Unknown connection tracking state",
        [171] = "Invalid identity",
        [172] = "Unknown sender",
        [181] = "Policy denied by denylist",
        [184] = "Invalid TC buffer",
        [189] = "Authentication required",
        [196] = "TTL exceeded",
        [198] = "Rate limited",
    };

    private static readonly Dictionary<int, string> Icmp4Types = new()
    {
        [0] = "EchoReply", [3] = "DestinationUnreachable", [4] = "SourceQuench", [5] = "Redirect",
        [8] = "EchoRequest", [9] = "RouterAdvertisement", [10] = "RouterSolicitation", [11] = "TimeExceeded",
        [12] = "ParameterProblem", [13] = "Timestamp", [14] = "TimestampReply", [15] = "InfoRequest",
        [16] = "InfoReply", [17] = "AddressMaskRequest", [18] = "AddressMaskReply",
    };

    private static readonly Dictionary<int, string> Icmp6Types = new()
    {
        [1] = "DestinationUnreachable", [2] = "PacketTooBig", [3] = "TimeExceeded", [4] = "ParameterProblem",
        [128] = "EchoRequest", [129] = "EchoReply", [130] = "MLDv1MulticastListenerQuery",
        [131] = "MLDv1MulticastListenerReport", [132] = "MLDv1MulticastListenerDone",
        [133] = "RouterSolicitation", [134] = "RouterAdvertisement", [135] = "NeighborSolicitation",
        [136] = "NeighborAdvertisement", [137] = "Redirect", [143] = "MLDv2MulticastListenerReport",
    };

    /// <summary>The drop-reason text hubble prints as the TYPE column of a drop (e.g. "Policy denied").</summary>
    public static string DropReasonText(int reason) =>
        DropTexts.TryGetValue(reason, out var text) ? text
        : Enum.IsDefined((DropReason)reason) ? ((DropReason)reason).ToString() : $"Unknown drop reason ({reason})";

    /// <summary>The name of a monitor trace observation point (e.g. "to-endpoint").</summary>
    public static string TracePointName(int subType) =>
        subType >= 0 && subType < TracePoints.Length ? TracePoints[subType] : subType.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The policy match type as hubble prints it (e.g. "L3-L4"); metrics lowercase it.</summary>
    public static string PolicyMatchTypeName(uint matchType) =>
        matchType < (uint)MatchTypes.Length ? MatchTypes[matchType] : matchType.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The ICMP type name used in summaries and the icmp metric (e.g. "EchoRequest").</summary>
    public static string IcmpTypeName(int ipVersion, int type)
    {
        var table = ipVersion == 6 ? Icmp6Types : Icmp4Types;
        return table.TryGetValue(type, out var name) ? name : type.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The L4 protocol name used in metric labels: TCP, UDP, SCTP, ICMPv4, ICMPv6 or Unknown.</summary>
    public static string ProtocolName(byte protocol, byte ipVersion) => protocol switch
    {
        6 => "TCP",
        17 => "UDP",
        132 => "SCTP",
        1 when ipVersion == 4 => "ICMPv4",
        58 when ipVersion == 6 => "ICMPv6",
        _ => "Unknown",
    };
}
