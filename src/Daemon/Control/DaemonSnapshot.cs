using Sluice.Daemon.Datapath;
using Sluice.Policy.Identities;

namespace Sluice.Daemon.Control;

/// <summary>
/// An immutable picture of the daemon after one reconcile pass. Published by reference, so the admin API
/// and the flow enricher read a consistent state without locks.
/// </summary>
public sealed record DaemonSnapshot
{
    /// <summary>The state before the first pass.</summary>
    public static DaemonSnapshot Initial { get; } = new();

    /// <summary>Policy revision: grows by one with every pass that changed what is enforced.</summary>
    public ulong Revision { get; init; }

    /// <summary>When the current revision was applied.</summary>
    public DateTimeOffset AppliedAt { get; init; }

    /// <summary>Endpoints by name.</summary>
    public IReadOnlyList<EndpointStatus> Endpoints { get; init; } = [];

    /// <summary>Every identity known to the policy engine (reserved, endpoints, external, CIDR).</summary>
    public IReadOnlyDictionary<uint, Policy.Identities.Identity> Identities { get; init; } = new Dictionary<uint, Policy.Identities.Identity>();

    /// <summary>Policies in force.</summary>
    public IReadOnlyList<LoadedPolicyInfo> Policies { get; init; } = [];

    /// <summary>Files whose latest version was rejected.</summary>
    public IReadOnlyList<RejectedSource> Rejected { get; init; } = [];

    /// <summary>The last apply error (e.g. map capacity), empty when the last pass succeeded.</summary>
    public string LastError { get; init; } = string.Empty;

    /// <summary>Datapath map fill levels.</summary>
    public IReadOnlyList<MapFill> Maps { get; init; } = [];
}
