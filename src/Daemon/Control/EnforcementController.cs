using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Sluice.Bpf;
using Sluice.Daemon.Configuration;
using Sluice.Daemon.Datapath;
using Sluice.Daemon.Endpoints;
using Sluice.Daemon.Hosting;
using Sluice.Daemon.Identities;
using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using PolicyIdentity = Sluice.Policy.Identities.Identity;

namespace Sluice.Daemon.Control;

/// <summary>
/// The control loop's body: reads the endpoints file and the policy directories, allocates identities,
/// feeds the policy engine, and brings the datapath to the result — endpoints attached or detached,
/// ipcache synchronised, each changed endpoint's policy published atomically. One pass at a time (callers
/// are serialised by a lock); every pass publishes a new <see cref="DaemonSnapshot"/>.
/// </summary>
public sealed class EnforcementController
{
    private readonly SluiceOptions _options;
    private readonly DatapathManager _datapath;
    private readonly IdentityAllocator _allocator;
    private readonly PolicyRefTable _refs;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PolicyEngine _engine;
    private readonly PolicySourceSet _policies;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RuntimeEndpoint> _endpoints = new(StringComparer.Ordinal);
    private EndpointsFile _endpointsFile = EndpointsFile.Empty;
    private RejectedSource? _endpointsRejection;
    private ulong _revision;
    private volatile DaemonSnapshot _snapshot = DaemonSnapshot.Initial;
    private long _passStartedTicks;

    /// <summary>Creates the controller; nothing is read or applied until <see cref="Reconcile"/>.</summary>
    public EnforcementController(SluiceOptions options, DatapathManager datapath, IdentityAllocator allocator,
        PolicyRefTable refs, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _datapath = datapath;
        _allocator = allocator;
        _refs = refs;
        _logger = logger;
        _time = time;
        _engine = new PolicyEngine(options.Policy.Enforcement switch
        {
            PolicyEnforcement.Always => EnforcementMode.Always,
            PolicyEnforcement.Never => EnforcementMode.Never,
            _ => EnforcementMode.Default,
        });
        _policies = new PolicySourceSet(options.Policy.Dirs, time);
    }

    /// <summary>The state after the latest pass.</summary>
    public DaemonSnapshot Snapshot => _snapshot;

    /// <summary>
    /// How long the pass in progress has been running, or zero when none is: the watchdog withholds its
    /// ping when a pass hangs.
    /// </summary>
    public TimeSpan CurrentPassDuration
    {
        get
        {
            long started = Interlocked.Read(ref _passStartedTicks);
            return started == 0 ? TimeSpan.Zero : _time.GetElapsedTime(started);
        }
    }

    /// <summary>
    /// One full pass: re-read the sources and converge the datapath on them. Errors in a source leave its
    /// previous version in force; datapath errors for one endpoint leave that endpoint's previous policy.
    /// </summary>
    /// <exception cref="BpfException">Only when <paramref name="fatal"/> and the datapath refused a write —
    /// at start-up the daemon must not report ready with an endpoint unenforced.</exception>
    public DaemonSnapshot Reconcile(string reason, bool fatal = false)
    {
        lock (_lock)
        {
            Interlocked.Exchange(ref _passStartedTicks, _time.GetTimestamp());
            try
            {
                return ReconcileCore(reason, fatal);
            }
            finally
            {
                Interlocked.Exchange(ref _passStartedTicks, 0);
            }
        }
    }

    private DaemonSnapshot ReconcileCore(string reason, bool fatal)
    {
        long started = _time.GetTimestamp();
        DaemonLog.ReloadRequested(_logger, reason);
        var errors = new List<string>();
        bool changed = false;

        var parsed = EndpointsFileParser.Load(_options.EndpointsFile);
        if (parsed.File is null)
        {
            _endpointsRejection = new RejectedSource(_options.EndpointsFile,
                [.. parsed.Errors.Select(e => new SourceError(e.Line, e.Column, $"{e.Path}: {e.Message}"))], _time.GetUtcNow());
            DaemonLog.EndpointsFileRejected(_logger, _options.EndpointsFile, string.Join("; ", parsed.Errors.Select(e => e.ToString())));
        }
        else
        {
            _endpointsRejection = null;
            _endpointsFile = parsed.File;
        }

        var documents = _policies.Reload();
        foreach (var rejected in _policies.Rejected)
        {
            DaemonLog.PolicyFileRejected(_logger, rejected.Path, string.Join("; ", rejected.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}")));
        }

        // Identities first: external prefixes, then endpoints, so every rule can select every peer.
        foreach (var external in _endpointsFile.External)
        {
            var prefix = IpPrefix.FromNetwork(external.Cidr);
            // Like Cilium's CIDR identities, a labelled external prefix is part of the world: reserved:world
            // lets the world entity select it and shows in its flows; the cidr label keeps prefixes with the
            // same user labels apart.
            var labels = external.IdentityLabels.With([
                new Label(LabelSource.Cidr, prefix.ToString().Replace(':', '-'), string.Empty),
                new Label(LabelSource.Reserved, "world", string.Empty)]);
            var identity = new PolicyIdentity(_allocator.Allocate(labels), labels, prefix);
            if (!_engine.Identities.TryGetValue(identity.Id, out var known) || !known.Equals(identity))
            {
                _engine.UpsertIdentity(identity);
            }
        }

        var wanted = _endpointsFile.Endpoints.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var gone in _endpoints.Values.Where(e => !wanted.ContainsKey(e.Definition.Name)).ToList())
        {
            _engine.RemoveEndpoint(gone.EndpointId);
            _datapath.DetachEndpoint(gone.Ifindex, gone.EndpointId);
            _endpoints.Remove(gone.Definition.Name);
            DaemonLog.EndpointDetached(_logger, gone.Definition.Name, gone.EndpointId);
            changed = true;
        }

        foreach (var definition in _endpointsFile.Endpoints)
        {
            int ifindex = ResolveIfindex(definition);
            if (!_endpoints.TryGetValue(definition.Name, out var runtime))
            {
                runtime = new RuntimeEndpoint { Definition = definition, EndpointId = AllocateEndpointId(ifindex) };
                _endpoints[definition.Name] = runtime;
            }
            else if (runtime.Ifindex != 0 && runtime.Ifindex != ifindex)
            {
                // Same endpoint, different interface (renamed in the file or recreated): leave the old one.
                _datapath.DetachEndpoint(runtime.Ifindex, runtime.EndpointId);
                runtime.AppliedState = null;
            }

            runtime.Definition = definition;
            runtime.Ifindex = ifindex;
            var labels = definition.IdentityLabels;
            uint identityId = _allocator.Allocate(labels);
            var mode = _options.Policy.AuditMode || definition.PolicyMode == EndpointPolicyMode.Audit ? PolicyMode.Audit : PolicyMode.Enforce;
            var info = new EndpointInfo(runtime.EndpointId, definition.Name, definition.Namespace, new PolicyIdentity(identityId, labels), mode);
            if (runtime.Info != info)
            {
                _engine.UpsertEndpoint(info);
                runtime.Info = info;
            }
        }

        _engine.ReplacePolicies(documents.Select(d => (d.Key, d.Document, false)));
        foreach (var (_, document) in documents.Where(d => d.Document.NotEnforced.Count > 0))
        {
            if (_logger.IsEnabled(LogLevel.Warning))
            {
                DaemonLog.NotEnforced(_logger, $"{document.Namespace}/{document.Name}", string.Join(", ", document.NotEnforced.Select(n => n.Feature).Distinct()));
            }
        }

        // Ipcache before policy: a new endpoint's peers must resolve before its policy can match them.
        try
        {
            _datapath.SyncIpcache(DesiredIpcache());
        }
        catch (Exception ex) when (ex is DatapathCapacityException or BpfException && !fatal)
        {
            errors.Add(ex.Message);
        }

        foreach (var runtime in _endpoints.Values)
        {
            if (runtime.Ifindex == 0)
            {
                DaemonLog.InterfaceMissing(_logger, runtime.Definition.Name, runtime.Definition.Interface);
                continue;
            }

            var state = _engine.GetMapState(runtime.EndpointId);
            var datapathMode = runtime.Info!.PolicyMode == PolicyMode.Audit ? Bpf.Abi.PolicyMode.Audit : Bpf.Abi.PolicyMode.Enforce;
            string applied = $"{runtime.Info.Identity.Id}|{datapathMode}|{state}";
            bool attached = runtime.Attached && _datapath.IsAttached(runtime.Ifindex);
            if (applied == runtime.AppliedState && attached)
            {
                continue;
            }

            try
            {
                runtime.Revision = _datapath.ApplyPolicy(runtime.Ifindex, runtime.EndpointId, runtime.Info.Identity.Id, datapathMode, state,
                    entry => _refs.IdFor(entry.Origins, _revision + 1));
                runtime.AppliedState = applied;
                runtime.State = state;
                if (!attached)
                {
                    _datapath.AttachEndpoint(runtime.Ifindex);
                    runtime.Attached = true;
                    DaemonLog.EndpointAttached(_logger, runtime.Definition.Name, runtime.Definition.Interface, runtime.EndpointId, runtime.Info.Identity.Id);
                }

                changed = true;
            }
            catch (Exception ex) when (ex is DatapathCapacityException or BpfException && !fatal)
            {
                errors.Add($"endpoint {runtime.Definition.Name}: {ex.Message}");
                DaemonLog.ApplyFailed(_logger, $"endpoint {runtime.Definition.Name}: {ex.Message}");
            }
        }

        // Endpoints a previous run installed that are no longer configured (restart after a removal).
        var live = _endpoints.Values.Where(e => e.Ifindex != 0).Select(e => e.Ifindex).ToHashSet();
        foreach (var (ifindex, entry) in _datapath.ExistingEndpoints.Where(kv => !live.Contains(kv.Key)).ToList())
        {
            _datapath.DetachEndpoint(ifindex, entry.EndpointId);
            DaemonLog.StaleEndpointRemoved(_logger, ifindex, entry.EndpointId);
            changed = true;
        }

        if (changed || _revision == 0)
        {
            _revision++;
            double elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
            DaemonLog.PolicyApplied(_logger, _revision, _endpoints.Count, elapsedMs);
        }

        var snapshot = BuildSnapshot(documents, errors, changed ? _time.GetUtcNow() : _snapshot.AppliedAt);
        _snapshot = snapshot;
        return snapshot;
    }

    private DaemonSnapshot BuildSnapshot(IReadOnlyList<(string Key, Policy.Model.PolicyDocument Document)> documents, List<string> errors, DateTimeOffset appliedAt)
    {
        var rejected = _policies.Rejected.ToList();
        if (_endpointsRejection is not null)
        {
            rejected.Insert(0, _endpointsRejection);
        }

        return new DaemonSnapshot
        {
            Revision = _revision,
            AppliedAt = appliedAt,
            Endpoints = [.. _endpoints.Values.OrderBy(e => e.EndpointId).Select(e => new EndpointStatus(
                e.Definition, e.EndpointId, e.Info?.Identity.Id ?? 0, e.Ifindex, e.Attached && e.Ifindex != 0,
                e.Info?.PolicyMode == PolicyMode.Audit,
                e.State?.Ingress ?? EnforcementState.Off, e.State?.Egress ?? EnforcementState.Off,
                _datapath.PolicyEntryCount(e.EndpointId, _datapath.ExistingEndpoints.TryGetValue(e.Ifindex, out var entry) ? entry.ActiveSlot : (byte)0),
                e.Revision, e.State ?? EndpointMapState.Empty(e.EndpointId)))],
            Identities = new Dictionary<uint, PolicyIdentity>(_engine.Identities),
            Policies = [.. documents.Select(d => new LoadedPolicyInfo(d.Document.Name, d.Document.Namespace ?? string.Empty,
                PolicyRefTable.KindName(d.Document.Kind), d.Key[..d.Key.LastIndexOf('#')],
                [.. d.Document.NotEnforced.Select(n => $"{n.Feature} at {n.Location}")]))],
            Rejected = rejected,
            LastError = string.Join("; ", errors),
            Maps = _datapath.Fill(),
        };
    }

    private Dictionary<IpPrefix, uint> DesiredIpcache()
    {
        var desired = new Dictionary<IpPrefix, uint>();

        // Least specific first, so a more specific owner of the same exact prefix overrides: CIDR identities
        // from policies, then labelled external prefixes, then this host, then the endpoints themselves.
        foreach (var (prefix, id) in _engine.CidrIdentities)
        {
            desired[prefix] = id;
        }

        foreach (var external in _endpointsFile.External)
        {
            var prefix = IpPrefix.FromNetwork(external.Cidr);
            var identity = _engine.Identities.Values.FirstOrDefault(i => i.Prefix == prefix && i.Labels.Any(l => l.Source == LabelSource.Kubernetes));
            if (identity is not null)
            {
                desired[prefix] = identity.Id;
            }
        }

        foreach (var address in DatapathManager.HostAddresses().Where(a => !IPAddress.IsLoopback(a)))
        {
            desired[IpPrefix.FromAddress(address)] = ReservedIdentity.Host;
        }

        foreach (var runtime in _endpoints.Values.Where(e => e.Info is not null))
        {
            foreach (var address in runtime.Definition.Addresses)
            {
                desired[IpPrefix.FromAddress(address)] = runtime.Info!.Identity.Id;
            }
        }

        return desired;
    }

    private static int ResolveIfindex(EndpointDefinition definition)
    {
        try
        {
            return NetInterface.IndexOf(definition.Interface);
        }
        catch (BpfException)
        {
            return 0;
        }
    }

    private ushort AllocateEndpointId(int ifindex)
    {
        // Re-adopt the id a previous run gave this interface: its policy slots and conntrack entries carry it.
        if (ifindex != 0 && _datapath.ExistingEndpoints.TryGetValue(ifindex, out var existing)
            && _endpoints.Values.All(e => e.EndpointId != existing.EndpointId))
        {
            return existing.EndpointId;
        }

        var used = _endpoints.Values.Select(e => e.EndpointId)
            .Concat(_datapath.ExistingEndpoints.Values.Select(e => e.EndpointId)).ToHashSet();
        for (ushort id = 1; id < ushort.MaxValue; id++)
        {
            if (!used.Contains(id))
            {
                return id;
            }
        }

        throw new InvalidOperationException("no free endpoint id");
    }

    /// <summary>The controller's bookkeeping for one configured endpoint.</summary>
    private sealed class RuntimeEndpoint
    {
        public required EndpointDefinition Definition { get; set; }

        public ushort EndpointId { get; init; }

        public int Ifindex { get; set; }

        public EndpointInfo? Info { get; set; }

        public EndpointMapState? State { get; set; }

        public string? AppliedState { get; set; }

        public bool Attached { get; set; }

        public uint Revision { get; set; }
    }
}
