namespace Sluice.Policy.MapState;

/// <summary>Set operations on map-state keys of one identity and direction.</summary>
internal static class KeyRanges
{
    /// <summary>The packets both keys match, as a key of <paramref name="identity"/>; null when disjoint.</summary>
    public static MapStateKey? Intersect(MapStateKey a, MapStateKey b, uint identity)
    {
        byte protocol;
        if (a.Protocol == IpProtocol.Any)
        {
            protocol = b.Protocol;
        }
        else if (b.Protocol == IpProtocol.Any || b.Protocol == a.Protocol)
        {
            protocol = a.Protocol;
        }
        else
        {
            return null;
        }

        ushort low = Math.Max(a.PortLow, b.PortLow);
        ushort high = Math.Min(a.PortHigh, b.PortHigh);
        return low > high ? null : new MapStateKey(identity, a.Direction, protocol, low, high);
    }

    /// <summary>
    /// <paramref name="key"/> minus the packets <paramref name="cut"/> matches, as at most two keys. Only
    /// called when the cut does not lie strictly inside an any-protocol key (which the callers keep whole),
    /// so "every protocol except one" never has to be expressed.
    /// </summary>
    public static IEnumerable<MapStateKey> Subtract(MapStateKey key, MapStateKey cut)
    {
        if (cut.Protocol == IpProtocol.Any)
        {
            yield break;
        }

        if (key.PortLow < cut.PortLow)
        {
            yield return key with { PortHigh = (ushort)(cut.PortLow - 1) };
        }

        if (key.PortHigh > cut.PortHigh)
        {
            yield return key with { PortLow = (ushort)(cut.PortHigh + 1) };
        }
    }
}
