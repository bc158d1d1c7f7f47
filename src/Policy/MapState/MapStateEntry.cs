namespace Sluice.Policy.MapState;

/// <summary>
/// The value of a map-state key: allow or deny, whether it comes only from audit (staged) policies, and
/// the rules that produced it (sorted, distinct; empty for the implicit allow-localhost entry).
/// </summary>
/// <remarks>
/// An <see cref="Audit"/> entry never drops: the datapath forwards on it and reports a deny entry as
/// verdict AUDIT ("would have been denied by a staged policy").
/// </remarks>
public sealed record MapStateEntry(bool Deny, bool Audit, IReadOnlyList<PolicyRef> Origins)
{
    /// <summary>Equality includes the origins, so a change of the producing rules is a "changed" delta.</summary>
    public bool Equals(MapStateEntry? other) =>
        other is not null && other.Deny == Deny && other.Audit == Audit && other.Origins.SequenceEqual(Origins);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Deny, Audit, Origins.Count);

    /// <summary>E.g. <c>deny audit by cnp/shop/x[0],ccnp/y[1]</c>.</summary>
    /// <remarks>An entry without origins is the implicit allow-localhost entry.</remarks>
    public override string ToString() =>
        (Deny ? "deny" : "allow") + (Audit ? " audit" : string.Empty)
        + (Origins.Count == 0 ? " (implicit: allow-localhost)" : " by " + string.Join(",", Origins));
}
