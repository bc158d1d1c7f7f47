using Sluice.Policy.Identities;

namespace Sluice.Policy.Selectors;

/// <summary>
/// Selects the identities of a Cilium entity (<c>layer3.rst</c>, <c>entity.go</c>): <c>host</c>,
/// <c>remote-node</c>, <c>kube-apiserver</c>, <c>ingress</c>, <c>init</c>, <c>health</c>, <c>unmanaged</c>
/// by their <c>reserved:</c> label; <c>world</c> (and <c>world-ipv4</c>/<c>world-ipv6</c>) = the world
/// identities plus every CIDR identity; <c>cluster</c> = every identity that is not world; <c>all</c> =
/// everything (a wildcard); <c>none</c> = nothing.
/// </summary>
public sealed class EntitySelector : IdentitySelector
{
    private static readonly HashSet<string> KnownNames = new(StringComparer.Ordinal)
    {
        "all", "world", "world-ipv4", "world-ipv6", "cluster", "host", "init", "ingress", "unmanaged",
        "remote-node", "health", "none", "kube-apiserver",
    };

    /// <summary>Creates a selector for an entity name (lower-case, as written in policies).</summary>
    /// <exception cref="ArgumentException">The entity is unknown.</exception>
    public EntitySelector(string entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!KnownNames.Contains(entity))
        {
            throw new ArgumentException($"unknown entity '{entity}'", nameof(entity));
        }

        Entity = entity;
        CanonicalText = "entity:" + entity;
    }

    /// <summary>Whether <paramref name="entity"/> names a known entity.</summary>
    public static bool IsKnown(string entity) => KnownNames.Contains(entity);

    /// <summary>The entity name.</summary>
    public string Entity { get; }

    /// <inheritdoc/>
    public override string CanonicalText { get; }

    /// <inheritdoc/>
    public override bool IsWildcard => Entity == "all";

    /// <inheritdoc/>
    public override (string Key, string? Value)? IndexHint => Entity switch
    {
        "host" or "init" or "ingress" or "unmanaged" or "remote-node" or "health" or "kube-apiserver" => (Entity, string.Empty),
        _ => null,
    };

    /// <inheritdoc/>
    public override bool SelectsOnlyWorld => Entity is "world" or "world-ipv4" or "world-ipv6";

    /// <inheritdoc/>
    public override bool Matches(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Entity switch
        {
            "all" => true,
            "none" => false,
            "cluster" => identity.IsCluster,
            "world" => identity.IsWorld,
            "world-ipv4" => identity.Id is ReservedIdentity.World or ReservedIdentity.WorldIPv4
                || identity.Prefix is { IsIPv4: true },
            "world-ipv6" => identity.Id is ReservedIdentity.World or ReservedIdentity.WorldIPv6
                || identity.Prefix is { IsIPv4: false },
            _ => identity.Labels.Contains(new Labels.Label(Labels.LabelSource.Reserved, Entity, string.Empty)),
        };
    }
}
