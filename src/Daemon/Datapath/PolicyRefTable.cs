using Sluice.FlowExporter.Model;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;

namespace Sluice.Daemon.Datapath;

/// <summary>
/// Numbers the distinct sets of policy rules behind map-state entries. The datapath stores one 32-bit
/// reference per policy-map entry and reports it in flow records; this table turns it back into the policy
/// names Hubble shows in <c>ingress_allowed_by</c> / <c>egress_denied_by</c>. Ids start at 1 (0 = "no
/// policy", the datapath's value for default verdicts) and are never reused within a process, so a flow
/// emitted just before a policy change still resolves. Thread-safe: written by the control loop, read by
/// the flow pipeline.
/// </summary>
public sealed class PolicyRefTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, uint> _byOrigins = new(StringComparer.Ordinal);
    private volatile Dictionary<uint, PolicyRefInfo> _byId = [];
    private uint _next = 1;

    /// <summary>The reference id for entries produced by <paramref name="origins"/>, allocating one if new.</summary>
    public uint IdFor(IReadOnlyList<PolicyRef> origins, ulong revision)
    {
        ArgumentNullException.ThrowIfNull(origins);
        if (origins.Count == 0)
        {
            return 0;
        }

        string key = string.Join(",", origins);
        lock (_lock)
        {
            if (_byOrigins.TryGetValue(key, out uint id))
            {
                return id;
            }

            id = _next++;
            _byOrigins[key] = id;
            var names = origins
                .Select(o => new PolicyName(o.Name, o.Namespace ?? string.Empty, KindName(o.Kind), revision, []))
                .Distinct()
                .ToArray();

            // Copy-on-write: readers on the pipeline's threads see a complete dictionary without locking.
            _byId = new Dictionary<uint, PolicyRefInfo>(_byId) { [id] = new PolicyRefInfo(id, names) };
            return id;
        }
    }

    /// <summary>The policies behind <paramref name="id"/>, or null when unknown.</summary>
    public PolicyRefInfo? Resolve(uint id) => _byId.GetValueOrDefault(id);

    /// <summary>The Kubernetes kind name Hubble prints for a policy kind.</summary>
    public static string KindName(PolicyKind kind) => kind switch
    {
        PolicyKind.CiliumNetworkPolicy => "CiliumNetworkPolicy",
        PolicyKind.CiliumClusterwideNetworkPolicy => "CiliumClusterwideNetworkPolicy",
        PolicyKind.KubernetesNetworkPolicy => "NetworkPolicy",
        _ => kind.ToString(),
    };
}
