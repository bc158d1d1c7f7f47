using System.Text;

namespace Sluice.Policy.MapState;

/// <summary>
/// The complete policy state of one endpoint as the datapath holds it: entries sorted by key and the
/// per-direction enforcement state.
/// </summary>
/// <remarks>
/// Invariant (LPM consistency): within one remote identity and direction, every allow that overlaps a
/// deny covers it entirely, and every audit deny that overlaps an enforced deny covers it; so the longest
/// match the datapath finds in an identity's column is never an allow hiding a narrower-written deny.
/// Denies on identity 0 ("any") are not copied into every identity: the datapath looks up both the
/// identity and identity 0 and lets a deny from either win (<c>bpf/include/policy.h</c>).
/// </remarks>
public sealed class EndpointMapState
{
    /// <summary>Creates a map state; <paramref name="entries"/> must be sorted by key without duplicates.</summary>
    public EndpointMapState(ulong endpointId, EnforcementState ingress, EnforcementState egress,
        IReadOnlyList<KeyValuePair<MapStateKey, MapStateEntry>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        EndpointId = endpointId;
        Ingress = ingress;
        Egress = egress;
        Entries = entries;
    }

    /// <summary>The endpoint.</summary>
    public ulong EndpointId { get; }

    /// <summary>Ingress enforcement.</summary>
    public EnforcementState Ingress { get; }

    /// <summary>Egress enforcement.</summary>
    public EnforcementState Egress { get; }

    /// <summary>The entries, sorted by key.</summary>
    public IReadOnlyList<KeyValuePair<MapStateKey, MapStateEntry>> Entries { get; }

    /// <summary>An empty map state with both directions off.</summary>
    public static EndpointMapState Empty(ulong endpointId) => new(endpointId, EnforcementState.Off, EnforcementState.Off, []);

    /// <summary>The enforcement state of one direction.</summary>
    public EnforcementState Enforcement(TrafficDirection direction) => direction == TrafficDirection.Ingress ? Ingress : Egress;

    /// <summary>The entry for an exact key, if present.</summary>
    public MapStateEntry? Get(MapStateKey key)
    {
        int lo = 0, hi = Entries.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = Entries[mid].Key.CompareTo(key);
            if (c == 0)
            {
                return Entries[mid].Value;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    /// <summary>
    /// Decides an initiating packet the way the datapath does: the most specific entry of the identity's
    /// column and of identity 0's column; a deny from either wins (an enforced deny before an audit one),
    /// then an allow; with no match the direction's enforcement state decides.
    /// </summary>
    public LookupResult Lookup(uint remoteIdentity, TrafficDirection direction, byte protocol, ushort port)
    {
        var specific = remoteIdentity == 0 ? null : MostSpecific(remoteIdentity, direction, protocol, port);
        var any = MostSpecific(0, direction, protocol, port);
        KeyValuePair<MapStateKey, MapStateEntry>? chosen =
            specific is { Value.Deny: true, Value.Audit: false } ? specific
            : any is { Value.Deny: true, Value.Audit: false } ? any
            : specific is { Value.Deny: true } ? specific
            : any is { Value.Deny: true } ? any
            : specific ?? any;
        if (chosen is { } c)
        {
            var decision = !c.Value.Deny ? LookupDecision.Allowed : c.Value.Audit ? LookupDecision.AuditDenied : LookupDecision.Denied;
            return new LookupResult(decision, c.Key, c.Value);
        }

        return Enforcement(direction) switch
        {
            EnforcementState.DefaultDeny => new LookupResult(LookupDecision.DeniedByDefault, null, null),
            EnforcementState.AuditDefaultDeny => new LookupResult(LookupDecision.AuditDeniedByDefault, null, null),
            _ => new LookupResult(LookupDecision.AllowedNoPolicy, null, null),
        };
    }

    /// <summary>
    /// Pairs of entries that break LPM consistency (an allow overlapping but not covering a deny of the same
    /// identity and direction, or an audit deny doing so to an enforced deny). Empty for every map state the
    /// engine produces; exposed so tests can check the invariant.
    /// </summary>
    public IReadOnlyList<(MapStateKey Narrower, MapStateKey Deny)> FindLpmViolations()
    {
        var violations = new List<(MapStateKey, MapStateKey)>();
        foreach (var group in Entries.GroupBy(e => (e.Key.RemoteIdentity, e.Key.Direction)))
        {
            var items = group.ToList();
            foreach (var deny in items.Where(e => e.Value.Deny))
            {
                foreach (var other in items)
                {
                    bool weaker = !other.Value.Deny || (other.Value.Audit && !deny.Value.Audit);
                    if (weaker && other.Key != deny.Key && other.Key.Overlaps(deny.Key) && !other.Key.Covers(deny.Key))
                    {
                        violations.Add((other.Key, deny.Key));
                    }
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// One line per entry after an enforcement header, e.g.
    /// <c>ingress identity=256 tcp/80: allow by cnp/shop/web[0]</c> — stable text for diffs and golden files.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("endpoint ").Append(EndpointId).Append(": ingress ").Append(Format(Ingress))
            .Append(", egress ").Append(Format(Egress)).Append('\n');
        foreach (var kv in Entries)
        {
            sb.Append(kv.Key).Append(": ").Append(kv.Value).Append('\n');
        }

        return sb.ToString();
    }

    private static string Format(EnforcementState state) => state switch
    {
        EnforcementState.DefaultDeny => "default-deny",
        EnforcementState.AuditDefaultDeny => "audit-default-deny",
        _ => "off",
    };

    private KeyValuePair<MapStateKey, MapStateEntry>? MostSpecific(uint identity, TrafficDirection direction, byte protocol, ushort port)
    {
        KeyValuePair<MapStateKey, MapStateEntry>? best = null;
        foreach (var kv in ColumnOf(identity, direction))
        {
            if (!kv.Key.Matches(protocol, port))
            {
                continue;
            }

            if (best is not { } b || MoreSpecific(kv, b))
            {
                best = kv;
            }
        }

        return best;
    }

    private static bool MoreSpecific(KeyValuePair<MapStateKey, MapStateEntry> candidate, KeyValuePair<MapStateKey, MapStateEntry> best)
    {
        bool candidateProto = candidate.Key.Protocol != IpProtocol.Any;
        bool bestProto = best.Key.Protocol != IpProtocol.Any;
        if (candidateProto != bestProto)
        {
            return candidateProto;
        }

        int candidateWidth = candidate.Key.PortHigh - candidate.Key.PortLow;
        int bestWidth = best.Key.PortHigh - best.Key.PortLow;
        if (candidateWidth != bestWidth)
        {
            return candidateWidth < bestWidth;
        }

        // Equal specificity only happens between distinct overlapping ranges of the same kind; prefer a deny.
        return candidate.Value.Deny && !best.Value.Deny;
    }

    private IEnumerable<KeyValuePair<MapStateKey, MapStateEntry>> ColumnOf(uint identity, TrafficDirection direction)
    {
        int start = LowerBound(new MapStateKey(identity, direction, 0, 0, 0));
        for (int i = start; i < Entries.Count; i++)
        {
            var key = Entries[i].Key;
            if (key.RemoteIdentity != identity || key.Direction != direction)
            {
                yield break;
            }

            yield return Entries[i];
        }
    }

    private int LowerBound(MapStateKey key)
    {
        int lo = 0, hi = Entries.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Entries[mid].Key.CompareTo(key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
