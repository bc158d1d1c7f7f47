using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>
/// Computes and maintains every local endpoint's <see cref="EndpointMapState"/> from policy documents,
/// endpoints and identities, incrementally: a policy change recomputes only the endpoints its old or new
/// rules select; an identity change goes through the <see cref="SelectorCache"/> (one match per cached
/// selector) and rebuilds only that identity's column in the endpoints whose selections changed. Every
/// operation returns the minimal per-endpoint <see cref="MapStateDelta"/>s. Not thread-safe: one writer.
/// </summary>
public sealed class PolicyEngine
{
    private readonly SelectorCache _cache = new();
    private readonly SortedDictionary<string, InstalledPolicy> _policies = new(StringComparer.Ordinal);
    private readonly SortedDictionary<ulong, EndpointPolicyState> _endpoints = [];
    private readonly Dictionary<CachedSelection, HashSet<EndpointPolicyState>> _selectionUsers = [];
    private readonly Dictionary<IpPrefix, (uint Id, int References)> _cidrIdentities = [];
    private readonly ColumnBuilder _builder = new();
    private readonly SubjectIndex _subjects = new();
    private uint _nextLocalIdentity = IdentityScope.LocalScopeBase + 1;

    /// <summary>Creates an engine that knows the reserved identities 1–10.</summary>
    /// <param name="mode">The agent-wide enforcement mode.</param>
    /// <param name="allowLocalhost">
    /// Whether the local host (identity 1) may always reach local endpoints, as Cilium's default
    /// <c>--allow-localhost=auto</c> does: an ingress-enforced endpoint gets an implicit allow-all entry
    /// for the host (explicit denies still win).
    /// </param>
    public PolicyEngine(EnforcementMode mode = EnforcementMode.Default, bool allowLocalhost = true)
    {
        Mode = mode;
        AllowLocalhost = allowLocalhost;
        foreach (var identity in Identity.AllReserved)
        {
            _cache.Upsert(identity);
        }
    }

    /// <summary>The agent-wide enforcement mode.</summary>
    public EnforcementMode Mode { get; }

    /// <summary>Whether traffic from the local host to an ingress-enforced endpoint is implicitly allowed.</summary>
    public bool AllowLocalhost { get; }

    /// <summary>All known identities (reserved, label-derived, CIDR).</summary>
    public IReadOnlyDictionary<uint, Identity> Identities => _cache.Identities;

    /// <summary>The CIDR prefixes the installed policies need, with the local identity allocated to each.</summary>
    public IReadOnlyDictionary<IpPrefix, uint> CidrIdentities => _cidrIdentities.ToDictionary(kv => kv.Key, kv => kv.Value.Id);

    /// <summary>The number of distinct selectors in the selector cache.</summary>
    public int SelectorCount => _cache.SelectorCount;

    /// <summary>The installed compiled rules, in policy-key then rule order.</summary>
    public IEnumerable<CompiledRule> Rules => _policies.Values.SelectMany(p => p.Rules);

    /// <summary>The installed documents by key.</summary>
    public IReadOnlyDictionary<string, PolicyDocument> Documents => _policies.ToDictionary(kv => kv.Key, kv => kv.Value.Document, StringComparer.Ordinal);

    /// <summary>The endpoints by id.</summary>
    public IReadOnlyList<EndpointInfo> Endpoints => [.. _endpoints.Values.Select(e => e.Info)];

    /// <summary>The default key of a document: <c>kind/namespace/name</c>.</summary>
    public static string KeyOf(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return $"{document.Kind}/{document.Namespace}/{document.Name}";
    }

    /// <summary>The map state of one endpoint.</summary>
    /// <exception cref="KeyNotFoundException">The endpoint is unknown.</exception>
    public EndpointMapState GetMapState(ulong endpointId) =>
        _endpoints.TryGetValue(endpointId, out var ep) ? ep.ToMapState() : throw new KeyNotFoundException($"no endpoint {endpointId}");

    /// <summary>Every endpoint's map state, by endpoint id.</summary>
    public IReadOnlyList<EndpointMapState> MapStates => [.. _endpoints.Values.Select(e => e.ToMapState())];

    /// <summary>
    /// Every endpoint's map state as text, CIDR identities written as <c>cidr:&lt;prefix&gt;</c> instead of
    /// their allocated numbers (which follow the order prefixes were first used): a rendering that compares
    /// equal for equal policy meaning.
    /// </summary>
    public string RenderMapStates()
    {
        var names = _cidrIdentities.ToDictionary(kv => kv.Value.Id, kv => "cidr:" + kv.Key);
        var sb = new System.Text.StringBuilder();
        foreach (var state in MapStates)
        {
            foreach (var line in state.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int at = line.IndexOf("identity=", StringComparison.Ordinal);
                int end = at < 0 ? -1 : line.IndexOf(' ', at);
                if (at >= 0 && end > at && uint.TryParse(line.AsSpan(at + 9, end - at - 9), System.Globalization.CultureInfo.InvariantCulture, out var id)
                    && names.TryGetValue(id, out var name))
                {
                    sb.Append(line, 0, at + 9).Append(name).Append(line, end, line.Length - end).Append('\n');
                }
                else
                {
                    sb.Append(line).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>Adds or replaces a policy document under <see cref="KeyOf"/>.</summary>
    public IReadOnlyList<MapStateDelta> SetPolicy(PolicyDocument document, bool audit = false) => SetPolicy(KeyOf(document), document, audit);

    /// <summary>
    /// Adds or replaces the policy document stored under <paramref name="key"/>; <paramref name="audit"/>
    /// installs it staged (its entries only audit).
    /// </summary>
    public IReadOnlyList<MapStateDelta> SetPolicy(string key, PolicyDocument document, bool audit = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(document);
        var tracker = new DeltaTracker();
        SetPolicyCore(key, document, audit, tracker);
        return tracker.Deltas();
    }

    private void SetPolicyCore(string key, PolicyDocument document, bool audit, DeltaTracker tracker)
    {
        var rules = RuleCompiler.Compile(document, audit);
        var prefixes = rules.SelectMany(r => r.PeerRules).SelectMany(p => p.Peers).OfType<CidrSelector>()
            .SelectMany(c => c.Except.Prepend(c.Cidr)).Distinct().Order().ToArray();
        var dirty = new HashSet<EndpointPolicyState>();
        foreach (var prefix in prefixes)
        {
            AcquirePrefix(prefix, dirty);
        }

        Install(rules);
        _policies.TryGetValue(key, out var old);
        _policies[key] = new InstalledPolicy(key, document, audit, rules, prefixes);
        RemoveSubjects(old?.Rules);
        var touchedRules = old is null ? rules : rules.Concat(old.Rules);
        MarkSelected(touchedRules, dirty);
        foreach (var ep in dirty)
        {
            Recompute(ep, tracker);
        }

        if (old is not null)
        {
            Uninstall(old.Rules);
            ReleasePrefixes(old.Prefixes, tracker);
        }
    }

    /// <summary>Replaces the whole policy set: keys not in <paramref name="documents"/> are removed.</summary>
    public IReadOnlyList<MapStateDelta> ReplacePolicies(IEnumerable<(string Key, PolicyDocument Document, bool Audit)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var tracker = new DeltaTracker();
        var wanted = documents.ToList();
        var keep = wanted.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _policies.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            RemovePolicyCore(stale, tracker);
        }

        // Key order, not argument order: CIDR identities are numbered in order of first use, so the same
        // policy set gets the same numbers however its files were listed.
        foreach (var (key, document, audit) in wanted.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            if (!_policies.TryGetValue(key, out var existing) || !ReferenceEquals(existing.Document, document) || existing.Audit != audit)
            {
                SetPolicyCore(key, document, audit, tracker);
            }
        }

        return tracker.Deltas();
    }

    /// <summary>Removes the policy document stored under <paramref name="key"/> (nothing if absent).</summary>
    public IReadOnlyList<MapStateDelta> RemovePolicy(string key)
    {
        var tracker = new DeltaTracker();
        RemovePolicyCore(key, tracker);
        return tracker.Deltas();
    }

    private void RemovePolicyCore(string key, DeltaTracker tracker)
    {
        if (!_policies.Remove(key, out var old))
        {
            return;
        }

        RemoveSubjects(old.Rules);
        var dirty = new HashSet<EndpointPolicyState>();
        MarkSelected(old.Rules, dirty);
        foreach (var ep in dirty)
        {
            Recompute(ep, tracker);
        }

        Uninstall(old.Rules);
        ReleasePrefixes(old.Prefixes, tracker);
    }

    /// <summary>
    /// Adds an endpoint or replaces it (relabelling = a new identity). The endpoint's identity is added to
    /// the known identities too, so other endpoints' rules can select it.
    /// </summary>
    public IReadOnlyList<MapStateDelta> UpsertEndpoint(EndpointInfo endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var tracker = new DeltaTracker();
        if (!_endpoints.TryGetValue(endpoint.Id, out var ep))
        {
            _endpoints[endpoint.Id] = ep = new EndpointPolicyState(endpoint);
        }

        ep.Info = endpoint;
        UpsertIdentityCore(endpoint.Identity, tracker);
        Recompute(ep, tracker);
        return tracker.Deltas();
    }

    /// <summary>Removes an endpoint; the delta removes all its entries. Its identity stays known.</summary>
    public IReadOnlyList<MapStateDelta> RemoveEndpoint(ulong endpointId)
    {
        if (!_endpoints.Remove(endpointId, out var ep))
        {
            return [];
        }

        var tracker = new DeltaTracker();
        tracker.RecordRemoval(ep);
        Unregister(ep);
        return tracker.Deltas();
    }

    /// <summary>Adds or relabels an identity.</summary>
    public IReadOnlyList<MapStateDelta> UpsertIdentity(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var tracker = new DeltaTracker();
        UpsertIdentityCore(identity, tracker);
        return tracker.Deltas();
    }

    /// <summary>Removes an identity: its column disappears from every endpoint.</summary>
    public IReadOnlyList<MapStateDelta> RemoveIdentity(uint id)
    {
        var tracker = new DeltaTracker();
        RecomputeColumnIn(_cache.Remove(id), id, tracker);
        return tracker.Deltas();
    }

    private void UpsertIdentityCore(Identity identity, DeltaTracker tracker)
    {
        var changed = _cache.Upsert(identity);
        foreach (var ep in _endpoints.Values)
        {
            // An endpoint whose own identity is relabelled may now be selected by other rules.
            if (ep.Info.Identity.Id == identity.Id && !ep.Info.Identity.Equals(identity))
            {
                ep.Info = ep.Info with { Identity = identity };
                Recompute(ep, tracker);
            }
        }

        RecomputeColumnIn(changed, identity.Id, tracker);
    }

    private void RecomputeColumnIn(IReadOnlyList<CachedSelection> changed, uint id, DeltaTracker tracker)
    {
        var affected = new HashSet<EndpointPolicyState>();
        foreach (var selection in changed)
        {
            if (_selectionUsers.TryGetValue(selection, out var users))
            {
                affected.UnionWith(users);
            }
        }

        foreach (var ep in affected)
        {
            RecomputeColumn(ep, id, tracker);
        }
    }

    private void MarkSelected(IEnumerable<CompiledRule> rules, HashSet<EndpointPolicyState> dirty)
    {
        foreach (var rule in rules)
        {
            foreach (var ep in _endpoints.Values)
            {
                if (rule.Selects(ep.Info))
                {
                    dirty.Add(ep);
                }
            }
        }
    }

    private void Install(IReadOnlyList<CompiledRule> rules)
    {
        foreach (var rule in rules)
        {
            _subjects.Add(rule);
        }

        foreach (var peerRule in rules.SelectMany(r => r.PeerRules))
        {
            peerRule.Selections = [.. peerRule.Peers.Select(_cache.Acquire)];
        }
    }

    /// <summary>Stops rules from selecting endpoints (their selections stay held until <see cref="Uninstall"/>).</summary>
    private void RemoveSubjects(IReadOnlyList<CompiledRule>? rules)
    {
        foreach (var rule in rules ?? [])
        {
            _subjects.Remove(rule);
        }
    }

    private void Uninstall(IReadOnlyList<CompiledRule> rules)
    {
        RemoveSubjects(rules);

        foreach (var peerRule in rules.SelectMany(r => r.PeerRules))
        {
            foreach (var selection in peerRule.Selections)
            {
                _cache.Release(selection);
            }

            peerRule.Selections = [];
        }
    }

    private void AcquirePrefix(IpPrefix prefix, HashSet<EndpointPolicyState> dirty)
    {
        if (_cidrIdentities.TryGetValue(prefix, out var existing))
        {
            _cidrIdentities[prefix] = (existing.Id, existing.References + 1);
            return;
        }

        var identity = Identity.ForCidr(_nextLocalIdentity++, prefix);
        _cidrIdentities[prefix] = (identity.Id, 1);
        foreach (var selection in _cache.Upsert(identity))
        {
            if (_selectionUsers.TryGetValue(selection, out var users))
            {
                dirty.UnionWith(users);
            }
        }
    }

    private void ReleasePrefixes(IReadOnlyList<IpPrefix> prefixes, DeltaTracker tracker)
    {
        foreach (var prefix in prefixes)
        {
            var (id, references) = _cidrIdentities[prefix];
            if (references > 1)
            {
                _cidrIdentities[prefix] = (id, references - 1);
                continue;
            }

            _cidrIdentities.Remove(prefix);
            RecomputeColumnIn(_cache.Remove(id), id, tracker);
        }
    }

    /// <summary>Rebuilds everything about one endpoint: applicable rules, enforcement, all columns.</summary>
    private void Recompute(EndpointPolicyState ep, DeltaTracker tracker)
    {
        tracker.RecordAll(ep);
        Unregister(ep);
        ep.WildcardRules.Clear();
        ep.BySelection.Clear();
        bool ddIngress = false, ddEgress = false, auditIngress = false, auditEgress = false;
        if (Mode != EnforcementMode.Never)
        {
            foreach (var rule in _subjects.Selecting(ep.Info))
            {
                ddIngress |= rule.DefaultDenyIngress && !rule.Audit;
                ddEgress |= rule.DefaultDenyEgress && !rule.Audit;
                auditIngress |= rule.DefaultDenyIngress && rule.Audit;
                auditEgress |= rule.DefaultDenyEgress && rule.Audit;
                foreach (var peerRule in rule.PeerRules)
                {
                    foreach (var selection in peerRule.Selections)
                    {
                        if (selection.IsWildcard)
                        {
                            ep.WildcardRules.Add(peerRule);
                        }
                        else
                        {
                            if (!ep.BySelection.TryGetValue(selection, out var users))
                            {
                                ep.BySelection[selection] = users = [];
                            }

                            users.Add(peerRule);
                        }
                    }
                }
            }
        }

        ep.Ingress = State(ddIngress, auditIngress);
        ep.Egress = State(ddEgress, auditEgress);
        ep.Columns.Clear();
        ep.Snapshot = null;
        ep.ZeroRaw = _builder.Accumulate(0, ep.WildcardRules);
        SetColumn(ep, 0, ColumnBuilder.Finish(0, ep.ZeroRaw, [], ep.Ingress, ep.Egress));
        // Identities held by exactly the same selections get the same column up to the identity number, so
        // each distinct membership is built once and copied: the cluster entity or a broad selector over
        // thousands of identities costs one column build, not thousands.
        var selections = ep.BySelection.Keys.ToArray();
        var membership = new Dictionary<uint, List<int>>();
        for (int i = 0; i < selections.Length; i++)
        {
            foreach (var id in selections[i].Identities)
            {
                if (!membership.TryGetValue(id, out var list))
                {
                    membership[id] = list = [];
                }

                list.Add(i);
            }
        }

        var templates = new Dictionary<Membership, KeyValuePair<MapStateKey, MapStateEntry>[]>();
        foreach (var (id, indexes) in membership)
        {
            var peerRules = indexes.SelectMany(i => ep.BySelection[selections[i]]);
            if (id == ReservedIdentity.Host)
            {
                // The host's column may carry the implicit allow-localhost entry: never share it.
                SetColumn(ep, id, BuildColumn(ep, id, peerRules));
                continue;
            }

            var key = new Membership(indexes);
            if (templates.TryGetValue(key, out var template))
            {
                SetColumn(ep, id, Rekey(template, id));
                continue;
            }

            var column = BuildColumn(ep, id, peerRules);
            templates[key] = column;
            SetColumn(ep, id, column);
        }

        if (!membership.ContainsKey(ReservedIdentity.Host) && HostImplicitlyAllowed(ep))
        {
            SetColumn(ep, ReservedIdentity.Host, BuildColumn(ep, ReservedIdentity.Host, []));
        }

        foreach (var selection in ep.BySelection.Keys)
        {
            if (!_selectionUsers.TryGetValue(selection, out var users))
            {
                _selectionUsers[selection] = users = [];
            }

            users.Add(ep);
        }
    }

    /// <summary>Rebuilds one identity's column of one endpoint.</summary>
    private void RecomputeColumn(EndpointPolicyState ep, uint id, DeltaTracker tracker)
    {
        tracker.Record(ep, id);
        var peerRules = new List<CompiledPeerRule>();
        if (_cache.Identities.ContainsKey(id))
        {
            foreach (var (selection, users) in ep.BySelection)
            {
                if (selection.Contains(id))
                {
                    peerRules.AddRange(users);
                }
            }
        }

        var column = peerRules.Count == 0 && !(id == ReservedIdentity.Host && HostImplicitlyAllowed(ep)) ? [] : BuildColumn(ep, id, peerRules);
        ep.Snapshot = null;
        SetColumn(ep, id, column);
    }

    private KeyValuePair<MapStateKey, MapStateEntry>[] BuildColumn(EndpointPolicyState ep, uint id, IEnumerable<CompiledPeerRule> peerRules)
    {
        var raw = _builder.Accumulate(id, peerRules, implicitHostAllow: id == ReservedIdentity.Host && HostImplicitlyAllowed(ep));
        return ColumnBuilder.Finish(id, raw, ep.ZeroRaw, ep.Ingress, ep.Egress);
    }

    /// <summary>Whether the endpoint gets the implicit allow-localhost entry (its ingress is enforced in some way).</summary>
    private bool HostImplicitlyAllowed(EndpointPolicyState ep) => AllowLocalhost && ep.Ingress != EnforcementState.Off;

    private static KeyValuePair<MapStateKey, MapStateEntry>[] Rekey(KeyValuePair<MapStateKey, MapStateEntry>[] template, uint id)
    {
        var column = new KeyValuePair<MapStateKey, MapStateEntry>[template.Length];
        for (int i = 0; i < template.Length; i++)
        {
            column[i] = new KeyValuePair<MapStateKey, MapStateEntry>(template[i].Key with { RemoteIdentity = id }, template[i].Value);
        }

        return column;
    }

    private static void SetColumn(EndpointPolicyState ep, uint id, KeyValuePair<MapStateKey, MapStateEntry>[] column)
    {
        if (column.Length == 0)
        {
            ep.Columns.Remove(id);
        }
        else
        {
            ep.Columns[id] = column;
        }
    }

    private void Unregister(EndpointPolicyState ep)
    {
        foreach (var selection in ep.BySelection.Keys)
        {
            if (_selectionUsers.TryGetValue(selection, out var users) && users.Remove(ep) && users.Count == 0)
            {
                _selectionUsers.Remove(selection);
            }
        }
    }

    private EnforcementState State(bool defaultDeny, bool auditDefaultDeny) => Mode switch
    {
        EnforcementMode.Never => EnforcementState.Off,
        EnforcementMode.Always => EnforcementState.DefaultDeny,
        _ => defaultDeny ? EnforcementState.DefaultDeny : auditDefaultDeny ? EnforcementState.AuditDefaultDeny : EnforcementState.Off,
    };
}
