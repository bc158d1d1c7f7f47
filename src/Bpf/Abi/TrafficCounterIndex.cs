namespace Sluice.Bpf.Abi;

/// <summary>
/// The index layout of <c>sluice_counters</c> (bpf/include/maps.h):
/// <c>(direction_index * 3 + verdict_index) * 256 + reason</c>, direction index 0 ingress / 1 egress,
/// verdict index 0 forwarded / 1 dropped / 2 audit. Counters are per packet, keyed by the packet's
/// own direction relative to the endpoint.
/// </summary>
public static class TrafficCounterIndex
{
    /// <summary>Stride of the reason (every reason fits in a byte).</summary>
    public const int ReasonSlots = 256;

    /// <summary>Number of entries of the map.</summary>
    public const int Count = 2 * 3 * ReasonSlots;

    /// <summary>The index for one (direction, verdict, reason) combination.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Direction or verdict is not a counted value.</exception>
    public static uint Of(DatapathDirection direction, FlowVerdict verdict, DropReason reason)
    {
        var directionIndex = direction switch
        {
            DatapathDirection.Ingress => 0,
            DatapathDirection.Egress => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Counters exist for ingress and egress only."),
        };
        var verdictIndex = verdict switch
        {
            FlowVerdict.Forwarded => 0,
            FlowVerdict.Dropped => 1,
            FlowVerdict.Audit => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Counters exist for forwarded, dropped and audit only."),
        };
        return (uint)(((directionIndex * 3) + verdictIndex) * ReasonSlots + (byte)reason);
    }
}
