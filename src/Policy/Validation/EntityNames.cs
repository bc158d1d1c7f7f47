using Sluice.Policy.Model;

namespace Sluice.Policy.Validation;

/// <summary>
/// Entity names as Cilium spells them (pkg/policy/api/entity.go). Lookup is exact, as Cilium's is;
/// <c>world-ipv4</c>/<c>world-ipv6</c> are accepted because Cilium's rule validation knows them even though
/// its CRD enum does not list them.
/// </summary>
internal static class EntityNames
{
    private static readonly Dictionary<string, Entity> ByName = new(StringComparer.Ordinal)
    {
        ["all"] = Entity.All,
        ["world"] = Entity.World,
        ["world-ipv4"] = Entity.WorldIPv4,
        ["world-ipv6"] = Entity.WorldIPv6,
        ["cluster"] = Entity.Cluster,
        ["host"] = Entity.Host,
        ["remote-node"] = Entity.RemoteNode,
        ["kube-apiserver"] = Entity.KubeApiserver,
        ["ingress"] = Entity.Ingress,
        ["init"] = Entity.Init,
        ["health"] = Entity.Health,
        ["unmanaged"] = Entity.Unmanaged,
        ["none"] = Entity.None,
    };

    /// <summary>All accepted names.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>Resolves a name.</summary>
    public static bool TryParse(string name, out Entity entity) => ByName.TryGetValue(name, out entity);

    /// <summary>The canonical name of an entity.</summary>
    public static string NameOf(Entity entity) => ByName.First(pair => pair.Value == entity).Key;
}
