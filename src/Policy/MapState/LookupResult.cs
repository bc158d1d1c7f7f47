namespace Sluice.Policy.MapState;

/// <summary>The outcome of <see cref="EndpointMapState.Lookup"/>: the decision and the entry that made it.</summary>
/// <param name="Decision">What happens to the packet.</param>
/// <param name="Key">The matched key, or null when no entry matched.</param>
/// <param name="Entry">The matched entry, or null when no entry matched.</param>
public sealed record LookupResult(LookupDecision Decision, MapStateKey? Key, MapStateEntry? Entry)
{
    /// <summary>Whether the packet is forwarded (allowed, or only audited).</summary>
    public bool Forwarded => Decision is not (LookupDecision.Denied or LookupDecision.DeniedByDefault);
}
