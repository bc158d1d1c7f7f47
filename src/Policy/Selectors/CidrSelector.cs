using Sluice.Policy.Identities;

namespace Sluice.Policy.Selectors;

/// <summary>
/// Selects the identities whose prefix lies inside <see cref="Cidr"/> but not inside any of
/// <see cref="Except"/> — Cilium's CIDR-label semantics, where a CIDR identity carries a <c>cidr:</c> label
/// for every enclosing prefix. A zero-length prefix (<c>0.0.0.0/0</c>, <c>::/0</c>) also selects the
/// world identities of its family, as Cilium's world entity is defined as those prefixes.
/// Identities without a prefix (cluster endpoints) are never selected: CIDR rules apply to peers outside
/// the cluster.
/// </summary>
public sealed class CidrSelector : IdentitySelector
{
    /// <summary>Creates a CIDR selector.</summary>
    public CidrSelector(IpPrefix cidr, IEnumerable<IpPrefix>? except = null)
    {
        Cidr = cidr;
        _except = [.. (except ?? []).Distinct().Order()];
        CanonicalText = Except.Count == 0 ? $"cidr:{cidr}" : $"cidr:{cidr} except ({string.Join(",", Except)})";
    }

    /// <summary>The selected prefix.</summary>
    public IpPrefix Cidr { get; }

    private readonly IpPrefix[] _except;

    /// <summary>Carved-out sub-prefixes.</summary>
    public IReadOnlyList<IpPrefix> Except => _except;

    /// <inheritdoc/>
    public override string CanonicalText { get; }

    /// <inheritdoc/>
    public override bool SelectsOnlyWorld => true;

    /// <inheritdoc/>
    public override bool Matches(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Prefix is { } prefix)
        {
            if (!Cidr.Contains(prefix))
            {
                return false;
            }

            foreach (var except in _except)
            {
                if (except.Contains(prefix))
                {
                    return false;
                }
            }

            return true;
        }

        if (Cidr.Length == 0 && _except.Length == 0)
        {
            return identity.Id == ReservedIdentity.World
                || identity.Id == (Cidr.IsIPv4 ? ReservedIdentity.WorldIPv4 : ReservedIdentity.WorldIPv6);
        }

        return false;
    }
}
