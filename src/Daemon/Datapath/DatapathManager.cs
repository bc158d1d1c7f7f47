using System.Net;
using Microsoft.Extensions.Logging;
using Sluice.Bpf;
using Sluice.Bpf.Abi;
using Sluice.Policy.Identities;
using Sluice.Policy.MapState;

namespace Sluice.Daemon.Datapath;

/// <summary>
/// Owns the loaded <c>sluice.bpf.o</c>: its maps pinned under the pin directory, its tc programs on the
/// endpoints' host-side interfaces, and every write to the endpoint, ipcache and policy maps.
/// </summary>
/// <remarks>
/// <para>Restart without a gap: when pins exist, the new object adopts those maps (<see cref="BpfMap.ReusePinned"/>)
/// instead of creating empty ones, and tc filters left by the previous process keep running the previous
/// programs over the same maps until <see cref="AttachEndpoint"/> swaps the new program in with
/// BPF_TC_F_REPLACE. Nothing is cleared on start; state is reconciled entry by entry.</para>
/// <para>Atomic policy: each endpoint has two policy slots. A new policy is written completely into the slot
/// the datapath does not read, then the endpoint entry's <c>active_slot</c> is flipped in one map update (a
/// hash-map update replaces the element under RCU, kernel/bpf/hashtab.c, so a packet sees either the old or
/// the new entry), then the old slot is emptied. Capacity is checked before the first write.</para>
/// <para>Not thread-safe: one control loop calls it. Disposing leaves programs attached and maps pinned —
/// enforcement outlives the daemon (DESIGN §5); <see cref="DetachEndpoint"/> and <see cref="RemovePins"/> undo.</para>
/// </remarks>
public sealed class DatapathManager : IDisposable
{
    /// <summary>Maps pinned under the pin directory (the ring buffer too, so records written by the
    /// previous programs during a restart are still read).</summary>
    public static readonly IReadOnlyList<string> PinnedMaps =
    [
        DatapathMaps.Endpoints, DatapathMaps.Ipcache, DatapathMaps.Policy, DatapathMaps.Conntrack,
        DatapathMaps.Counters, DatapathMaps.Events, DatapathMaps.Lost, DatapathMaps.Debug,
    ];

    /// <summary>Maps that hold counters only, replaced rather than adopted when their definition changed.</summary>
    private static readonly HashSet<string> ReplaceableMaps = [DatapathMaps.Counters, DatapathMaps.Lost, DatapathMaps.Debug, DatapathMaps.Events];

    private readonly BpfObject _object;
    private readonly string _pinDir;
    private readonly ILogger _logger;
    private readonly BpfMap _endpoints;
    private readonly BpfMap _ipcache;
    private readonly BpfMap _policy;
    private readonly BpfProgram _fromEndpoint;
    private readonly BpfProgram _toEndpoint;
    private readonly Dictionary<(ushort Endpoint, byte Slot), HashSet<PolicyKey>> _policyKeys = [];
    // Keyed by prefix: IpcacheKey holds an inline array, which has no value equality.
    private readonly HashSet<IpPrefix> _ipcacheKeys = [];
    private int _policyCount;

    private DatapathManager(BpfObject bpfObject, string pinDir, ILogger logger, IReadOnlyList<string> adopted)
    {
        _object = bpfObject;
        _pinDir = pinDir;
        _logger = logger;
        AdoptedMaps = adopted;
        _endpoints = bpfObject.GetMap(DatapathMaps.Endpoints);
        _ipcache = bpfObject.GetMap(DatapathMaps.Ipcache);
        _policy = bpfObject.GetMap(DatapathMaps.Policy);
        _fromEndpoint = bpfObject.GetProgram(DatapathMaps.FromEndpointProgram);
        _toEndpoint = bpfObject.GetProgram(DatapathMaps.ToEndpointProgram);

        foreach (var key in _policy.GetKeys<PolicyKey>())
        {
            Track(key.EndpointId, key.Slot).Add(key);
            _policyCount++;
        }

        foreach (var key in _ipcache.GetKeys<IpcacheKeyBits>())
        {
            _ipcacheKeys.Add(key.ToPrefix());
        }

        foreach (var ifindex in _endpoints.GetKeys<uint>())
        {
            if (_endpoints.TryLookup(ifindex, out EndpointEntry entry))
            {
                ExistingEndpoints[(int)ifindex] = entry;
            }
        }
    }

    /// <summary>Maps re-adopted from pins (empty on a first start).</summary>
    public IReadOnlyList<string> AdoptedMaps { get; }

    /// <summary>Endpoint entries found in the endpoints map at start (ifindex → entry): what a previous run
    /// installed and the datapath still enforces.</summary>
    public Dictionary<int, EndpointEntry> ExistingEndpoints { get; } = [];

    /// <summary>The flow-event ring buffer.</summary>
    public BpfMap Events => _object.GetMap(DatapathMaps.Events);

    /// <summary>The per-CPU count of records lost because the ring was full.</summary>
    public BpfMap Lost => _object.GetMap(DatapathMaps.Lost);

    /// <summary>
    /// Opens and loads the datapath object, adopting every map already pinned under <paramref name="pinDir"/>
    /// and pinning the rest, then pins the programs.
    /// </summary>
    /// <exception cref="BpfException">Load, adopt or pin failed; the message names the operation and target.</exception>
    public static DatapathManager Open(string pinDir, DatapathConfig config, ILogger logger, string? objectPath = null)
    {
        ArgumentNullException.ThrowIfNull(pinDir);
        ArgumentNullException.ThrowIfNull(logger);
        BpfFileSystem.EnsurePinDirectory(pinDir);
        var bpfObject = objectPath is null
            ? BpfObject.Open(BpfObject.Locate(DatapathMaps.ObjectFileName))
            : BpfObject.Open(objectPath);
        try
        {
            bpfObject.GetMap(DatapathMaps.Config).SetInitialValue(config);
            var adopted = new List<string>();
            foreach (var name in PinnedMaps)
            {
                string pin = Path.Combine(pinDir, name);
                if (!File.Exists(pin))
                {
                    continue;
                }

                try
                {
                    bpfObject.GetMap(name).ReusePinned(pin);
                    adopted.Add(name);
                }
                catch (BpfException ex) when (ex.Errno == Errno.EINVAL && ReplaceableMaps.Contains(name))
                {
                    // A new object version changed a diagnostic map's shape: it holds no enforcement state,
                    // so a fresh one replaces it (the old programs keep theirs until they are swapped out).
                    File.Delete(pin);
                }
                catch (BpfException ex) when (ex.Errno == Errno.EINVAL)
                {
                    throw new BpfException(ex.Errno, ex.Operation, ex.Target,
                        "the datapath object no longer matches the pinned maps; to start over, detach the programs and remove " + pinDir +
                        " (enforcement pauses until sluiced re-applies)", ex.Details);
                }
            }

            bpfObject.Load();
            foreach (var name in PinnedMaps.Except(adopted))
            {
                bpfObject.GetMap(name).Pin(Path.Combine(pinDir, name));
            }

            foreach (var program in new[] { DatapathMaps.FromEndpointProgram, DatapathMaps.ToEndpointProgram })
            {
                // A program pin is a handle for tools (bpftool prog show pinned …); the tc filters hold their
                // own references, so replacing the pin never detaches anything.
                string pin = Path.Combine(pinDir, program);
                File.Delete(pin);
                bpfObject.GetProgram(program).Pin(pin);
            }

            return new DatapathManager(bpfObject, pinDir, logger, adopted);
        }
        catch
        {
            bpfObject.Dispose();
            throw;
        }
    }

    /// <summary>Attaches (or atomically replaces) both tc programs on <paramref name="ifindex"/>.</summary>
    public void AttachEndpoint(int ifindex)
    {
        // Host-side ingress sees packets leaving the endpoint; host-side egress sees packets entering it.
        TcAttachment.Attach(ifindex, TcDirection.Ingress, _fromEndpoint);
        TcAttachment.Attach(ifindex, TcDirection.Egress, _toEndpoint);
    }

    /// <summary>Whether both programs of this object are attached on <paramref name="ifindex"/>.</summary>
    public bool IsAttached(int ifindex) =>
        TcAttachment.QueryProgramId(ifindex, TcDirection.Ingress) == _fromEndpoint.Id
        && TcAttachment.QueryProgramId(ifindex, TcDirection.Egress) == _toEndpoint.Id;

    /// <summary>
    /// Stops enforcing on an endpoint: detaches its programs (when the interface still exists), deletes its
    /// endpoint entry and every policy entry of both slots.
    /// </summary>
    public void DetachEndpoint(int ifindex, ushort endpointId)
    {
        if (ifindex > 0)
        {
            try
            {
                TcAttachment.Detach(ifindex, TcDirection.Ingress);
                TcAttachment.Detach(ifindex, TcDirection.Egress);
            }
            catch (BpfException ex) when (ex.Errno == Errno.ENODEV)
            {
                // The interface is already gone, and its filters with it.
            }

            _endpoints.Delete((uint)ifindex);
            ExistingEndpoints.Remove(ifindex);
        }

        for (byte slot = 0; slot < 2; slot++)
        {
            ReplaceSlot(endpointId, slot, new Dictionary<PolicyKey, PolicyValue>());
        }
    }

    /// <summary>
    /// Publishes an endpoint's complete policy: written into the inactive slot, made visible by one update
    /// of the endpoint entry, then the previously active slot is emptied.
    /// </summary>
    /// <returns>The revision now in the endpoint entry.</returns>
    /// <exception cref="DatapathCapacityException">The policy map cannot hold it; nothing was changed.</exception>
    public uint ApplyPolicy(int ifindex, ushort endpointId, uint identity, Sluice.Bpf.Abi.PolicyMode mode,
        EndpointMapState state, Func<MapStateEntry, uint> policyRefOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        bool exists = _endpoints.TryLookup((uint)ifindex, out EndpointEntry current) && current.EndpointId == endpointId;
        byte activeSlot = exists ? current.ActiveSlot : (byte)1;
        byte target = (byte)(1 - activeSlot);
        var encoded = PolicyMapEncoder.Encode(state, endpointId, target, policyRefOf);

        int staleInTarget = _policyKeys.TryGetValue((endpointId, target), out var stale) ? stale.Count : 0;
        long needed = _policyCount - staleInTarget + encoded.Count;
        if (needed > _policy.MaxEntries)
        {
            throw new DatapathCapacityException(DatapathMaps.Policy, needed, _policy.MaxEntries, $"policy for endpoint {endpointId}");
        }

        ReplaceSlot(endpointId, target, encoded);
        var entry = new EndpointEntry
        {
            Identity = identity,
            EndpointId = endpointId,
            PolicyMode = mode,
            DefaultDeny = PolicyMapEncoder.DefaultDenyOf(state.Ingress, state.Egress),
            ActiveSlot = target,
            PolicyRevision = exists ? current.PolicyRevision + 1 : 1,
        };
        _endpoints.Update((uint)ifindex, entry);
        ExistingEndpoints[ifindex] = entry;
        if (exists || _policyKeys.ContainsKey((endpointId, activeSlot)))
        {
            ReplaceSlot(endpointId, activeSlot, new Dictionary<PolicyKey, PolicyValue>());
        }

        return entry.PolicyRevision;
    }

    /// <summary>
    /// Makes the ipcache hold exactly <paramref name="desired"/>: new and changed prefixes are written
    /// before stale ones are deleted, so no address falls back to world in between.
    /// </summary>
    /// <exception cref="DatapathCapacityException">More prefixes than the ipcache holds; nothing was changed.</exception>
    public void SyncIpcache(IReadOnlyDictionary<IpPrefix, uint> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        long peak = _ipcacheKeys.Count + desired.Keys.Count(k => !_ipcacheKeys.Contains(k));
        if (peak > _ipcache.MaxEntries)
        {
            throw new DatapathCapacityException(DatapathMaps.Ipcache, peak, _ipcache.MaxEntries, "the ipcache");
        }

        foreach (var (prefix, identity) in desired)
        {
            var key = IpcacheKey.For(prefix.Address, prefix.Length);
            if (!_ipcache.TryLookup(key, out IpcacheValue current) || current.Identity != identity)
            {
                _ipcache.Update(key, new IpcacheValue { Identity = identity });
            }

            _ipcacheKeys.Add(prefix);
        }

        foreach (var prefix in _ipcacheKeys.Where(k => !desired.ContainsKey(k)).ToList())
        {
            _ipcache.Delete(IpcacheKey.For(prefix.Address, prefix.Length));
            _ipcacheKeys.Remove(prefix);
        }
    }

    /// <summary>Fill levels of the endpoint, ipcache and policy maps.</summary>
    public IReadOnlyList<MapFill> Fill() =>
    [
        new(DatapathMaps.Endpoints, ExistingEndpoints.Count, _endpoints.MaxEntries),
        new(DatapathMaps.Ipcache, _ipcacheKeys.Count, _ipcache.MaxEntries),
        new(DatapathMaps.Policy, _policyCount, _policy.MaxEntries),
    ];

    /// <summary>Policy entries installed for an endpoint's active slot.</summary>
    public int PolicyEntryCount(ushort endpointId, byte slot) =>
        _policyKeys.TryGetValue((endpointId, slot), out var keys) ? keys.Count : 0;

    /// <summary>
    /// Removes every pin under the pin directory. With the programs detached from every interface this
    /// lets the kernel free all maps.
    /// </summary>
    public void RemovePins()
    {
        foreach (var name in PinnedMaps.Concat([DatapathMaps.FromEndpointProgram, DatapathMaps.ToEndpointProgram]))
        {
            File.Delete(Path.Combine(_pinDir, name));
        }
    }

    /// <summary>Closes this process's handles; attached programs and pinned maps stay.</summary>
    public void Dispose() => _object.Dispose();

    /// <summary>The addresses of this host's interfaces in the current network namespace.</summary>
    public static IReadOnlyList<IPAddress> HostAddresses() =>
    [
        .. System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !a.IsIPv6LinkLocal)
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .Distinct(),
    ];

    private HashSet<PolicyKey> Track(ushort endpointId, byte slot)
    {
        if (!_policyKeys.TryGetValue((endpointId, slot), out var keys))
        {
            _policyKeys[(endpointId, slot)] = keys = [];
        }

        return keys;
    }

    private void ReplaceSlot(ushort endpointId, byte slot, Dictionary<PolicyKey, PolicyValue> entries)
    {
        var keys = Track(endpointId, slot);
        foreach (var (key, value) in entries)
        {
            _policy.Update(key, value);
            if (keys.Add(key))
            {
                _policyCount++;
            }
        }

        foreach (var key in keys.Where(k => !entries.ContainsKey(k)).ToList())
        {
            _policy.Delete(key);
            keys.Remove(key);
            _policyCount--;
        }

        if (keys.Count == 0)
        {
            _policyKeys.Remove((endpointId, slot));
        }

        Hosting.DaemonLog.PolicySlotWritten(_logger, slot, endpointId, entries.Count);
    }
}
