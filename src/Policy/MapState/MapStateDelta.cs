using System.Text;

namespace Sluice.Policy.MapState;

/// <summary>
/// The minimal change to one endpoint's map state: keys to add, keys whose value changed, keys to remove,
/// and the enforcement state after the change.
/// </summary>
public sealed record MapStateDelta(
    ulong EndpointId,
    IReadOnlyList<KeyValuePair<MapStateKey, MapStateEntry>> Added,
    IReadOnlyList<KeyValuePair<MapStateKey, MapStateEntry>> Changed,
    IReadOnlyList<MapStateKey> Removed,
    EnforcementState Ingress,
    EnforcementState Egress,
    bool EnforcementChanged,
    bool EndpointRemoved)
{
    /// <summary>Whether nothing changes.</summary>
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0 && !EnforcementChanged && !EndpointRemoved;

    /// <summary>Computes the delta that turns <paramref name="before"/> into <paramref name="after"/>.</summary>
    public static MapStateDelta Between(EndpointMapState before, EndpointMapState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var added = new List<KeyValuePair<MapStateKey, MapStateEntry>>();
        var changed = new List<KeyValuePair<MapStateKey, MapStateEntry>>();
        var removed = new List<MapStateKey>();
        Diff(before.Entries, after.Entries, added, changed, removed);
        return new MapStateDelta(after.EndpointId, added, changed, removed, after.Ingress, after.Egress,
            before.Ingress != after.Ingress || before.Egress != after.Egress, EndpointRemoved: false);
    }

    /// <summary>Appends the difference of two key-sorted entry lists to the three result lists.</summary>
    public static void Diff(
        IReadOnlyList<KeyValuePair<MapStateKey, MapStateEntry>> before,
        IReadOnlyList<KeyValuePair<MapStateKey, MapStateEntry>> after,
        List<KeyValuePair<MapStateKey, MapStateEntry>> added,
        List<KeyValuePair<MapStateKey, MapStateEntry>> changed,
        List<MapStateKey> removed)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(removed);
        int i = 0, j = 0;
        while (i < before.Count || j < after.Count)
        {
            int c = i == before.Count ? 1 : j == after.Count ? -1 : before[i].Key.CompareTo(after[j].Key);
            if (c < 0)
            {
                removed.Add(before[i++].Key);
            }
            else if (c > 0)
            {
                added.Add(after[j++]);
            }
            else
            {
                if (!before[i].Value.Equals(after[j].Value))
                {
                    changed.Add(after[j]);
                }

                i++;
                j++;
            }
        }
    }

    /// <summary>Lines <c>+ key: entry</c>, <c>~ key: entry</c>, <c>- key</c>, like a diff.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("endpoint ").Append(EndpointId);
        if (EndpointRemoved)
        {
            sb.Append(" removed");
        }

        if (EnforcementChanged)
        {
            sb.Append(" enforcement ingress=").Append(Ingress).Append(" egress=").Append(Egress);
        }

        sb.Append('\n');
        foreach (var kv in Added)
        {
            sb.Append("+ ").Append(kv.Key).Append(": ").Append(kv.Value).Append('\n');
        }

        foreach (var kv in Changed)
        {
            sb.Append("~ ").Append(kv.Key).Append(": ").Append(kv.Value).Append('\n');
        }

        foreach (var key in Removed)
        {
            sb.Append("- ").Append(key).Append('\n');
        }

        return sb.ToString();
    }
}
