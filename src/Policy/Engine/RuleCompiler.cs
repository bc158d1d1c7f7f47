using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>
/// Turns parsed policy documents into <see cref="CompiledRule"/>s with Cilium's semantics: namespace
/// injection, nil/empty/<c>{}</c> selector meanings, entity and CIDR selection, port ranges, ICMP types,
/// per-direction default-deny with <c>enableDefaultDeny</c>, and the Kubernetes NetworkPolicy translation.
/// Features that are parsed but not enforced are handled conservatively, and each compiled entry says how.
/// </summary>
public static class RuleCompiler
{
    private static readonly byte[] PortProtocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Sctp];

    /// <summary>Compiles every rule of a document. <paramref name="audit"/> marks a staged (audit-only) policy.</summary>
    public static IReadOnlyList<CompiledRule> Compile(PolicyDocument document, bool audit = false)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Kind == PolicyKind.KubernetesNetworkPolicy)
        {
            return document.Kubernetes is null ? [] : [KubernetesNetworkPolicyCompiler.Compile(document, document.Kubernetes, audit)];
        }

        var rules = new List<CompiledRule>(document.Rules.Count);
        for (int i = 0; i < document.Rules.Count; i++)
        {
            rules.Add(CompileRule(document, document.Rules[i], i, audit));
        }

        return rules;
    }

    private static CompiledRule CompileRule(PolicyDocument document, PolicyRule rule, int index, bool audit)
    {
        string? ns = document.Kind == PolicyKind.CiliumNetworkPolicy ? document.Namespace ?? "default" : null;
        var origin = new PolicyRef(document.Kind, ns, document.Name, index);
        var notes = new List<string>();
        LabelSelector? subject = null;
        if (rule.EndpointSelector is not null)
        {
            subject = SelectorTranslation.FromModel(rule.EndpointSelector);
            if (ns is not null)
            {
                // A CNP only ever selects endpoints of its own namespace: the namespace is forced into the
                // endpointSelector, replacing any namespace the author wrote (Cilium drops that with a warning).
                subject = new LabelSelector(subject.Requirements
                    .Where(r => !SelectorTranslation.IsNamespaceKey(r)))
                    .With(SelectorTranslation.NamespaceIs(ns));
            }
        }
        else if (rule.NodeSelector is not null)
        {
            notes.Add("nodeSelector (host policy) is not enforced: the rule applies to no endpoint");
        }

        bool subjectTargetsInit = subject?.Mentions("init", LabelSource.Reserved) ?? false;
        var scope = new PeerScope(document.Kind, ns, subjectTargetsInit);
        var peerRules = new List<CompiledPeerRule>();
        AddIngress(peerRules, rule.Ingress, deny: false, origin, audit, scope);
        AddIngress(peerRules, rule.IngressDeny, deny: true, origin, audit, scope);
        AddEgress(peerRules, rule.Egress, deny: false, origin, audit, scope);
        AddEgress(peerRules, rule.EgressDeny, deny: true, origin, audit, scope);

        // enableDefaultDeny: an unset direction is default-deny when the rule has any allow or deny entry
        // for it (Cilium ≥1.16 with enable-non-default-deny-policies, the 1.19 default).
        bool hasIngress = (rule.Ingress?.Count ?? 0) > 0 || (rule.IngressDeny?.Count ?? 0) > 0;
        bool hasEgress = (rule.Egress?.Count ?? 0) > 0 || (rule.EgressDeny?.Count ?? 0) > 0;
        bool ddIngress = rule.EnableDefaultDeny?.Ingress ?? hasIngress;
        bool ddEgress = rule.EnableDefaultDeny?.Egress ?? hasEgress;
        return new CompiledRule(origin, subject, ddIngress, ddEgress, audit, peerRules, notes, rule.FieldPath, rule.Location);
    }

    private static void AddIngress(List<CompiledPeerRule> into, IReadOnlyList<IngressRule>? rules, bool deny, PolicyRef origin, bool audit, PeerScope scope)
    {
        foreach (var r in rules ?? [])
        {
            var notes = new List<string>();
            var peers = new List<IdentitySelector>();
            bool anyPeerField = false;
            anyPeerField |= AddEndpoints(peers, r.FromEndpoints, scope);
            anyPeerField |= AddCidrs(peers, r.FromCIDR, r.FromCIDRSet, notes);
            anyPeerField |= AddEntities(peers, r.FromEntities);
            anyPeerField |= AddNodes(peers, r.FromNodes, notes);
            anyPeerField |= NotEnforcedPeer(r.FromGroups, "fromGroups (cloud provider groups)", notes);
            bool requires = r.FromRequires is { Count: > 0 };
            var ranges = CompilePorts(r.ToPorts, r.ICMPs, deny, notes);
            FinishPeers(peers, anyPeerField, ranges, r.ToPorts, r.ICMPs);
            ApplyConservativeAllow(peers, deny, requires, "fromRequires", r.Authentication, notes);
            into.Add(new CompiledPeerRule(origin, TrafficDirection.Ingress, deny, audit, peers, ranges, notes, r.FieldPath, r.Location));
        }
    }

    private static void AddEgress(List<CompiledPeerRule> into, IReadOnlyList<EgressRule>? rules, bool deny, PolicyRef origin, bool audit, PeerScope scope)
    {
        foreach (var r in rules ?? [])
        {
            var notes = new List<string>();
            var peers = new List<IdentitySelector>();
            bool anyPeerField = false;
            anyPeerField |= AddEndpoints(peers, r.ToEndpoints, scope);
            anyPeerField |= AddCidrs(peers, r.ToCIDR, r.ToCIDRSet, notes);
            anyPeerField |= AddEntities(peers, r.ToEntities);
            anyPeerField |= AddNodes(peers, r.ToNodes, notes);
            anyPeerField |= NotEnforcedPeer(r.ToGroups, "toGroups (cloud provider groups)", notes);
            anyPeerField |= NotEnforcedPeer(r.ToServices, "toServices", notes);
            anyPeerField |= NotEnforcedPeer(r.ToFQDNs, "toFQDNs (no DNS proxy: names are never resolved)", notes);
            bool requires = r.ToRequires is { Count: > 0 };
            var ranges = CompilePorts(r.ToPorts, r.ICMPs, deny, notes);
            FinishPeers(peers, anyPeerField, ranges, r.ToPorts, r.ICMPs);
            ApplyConservativeAllow(peers, deny, requires, "toRequires", r.Authentication, notes);
            into.Add(new CompiledPeerRule(origin, TrafficDirection.Egress, deny, audit, peers, ranges, notes, r.FieldPath, r.Location));
        }
    }

    /// <summary>
    /// A rule with no peer field at all selects every peer when it has L4 constraints (an "L4-only" rule);
    /// with neither peers nor ports (<c>ingress: [{}]</c>) it selects nobody and only triggers default-deny.
    /// </summary>
    private static void FinishPeers(List<IdentitySelector> peers, bool anyPeerField, List<L4Range> ranges,
        IReadOnlyList<PortRule>? ports, IReadOnlyList<IcmpRule>? icmps)
    {
        bool hasL4 = (ports?.Count ?? 0) > 0 || (icmps?.Count ?? 0) > 0;
        if (!anyPeerField && hasL4 && ranges.Count > 0)
        {
            peers.Add(LabelSelector.All);
        }
    }

    private static void ApplyConservativeAllow(List<IdentitySelector> peers, bool deny, bool requires, string requiresField,
        Authentication? authentication, List<string> notes)
    {
        if (requires)
        {
            // fromRequires/toRequires only narrow who is allowed; without them an allow would be wider than
            // written, so such an allow allows nothing. A deny stays as written (it can only get wider).
            notes.Add(deny
                ? $"{requiresField} is not enforced (removed in Cilium 1.19): the deny applies without it"
                : $"{requiresField} is not enforced (removed in Cilium 1.19): this allow allows nothing");
            if (!deny)
            {
                peers.Clear();
            }
        }

        if (!deny && authentication is { Mode: not AuthenticationMode.Disabled })
        {
            notes.Add("authentication (mutual auth) is not enforced: traffic needing it is never authenticated, so this allow allows nothing");
            peers.Clear();
        }
    }

    private static bool AddEndpoints(List<IdentitySelector> peers, IReadOnlyList<EndpointSelector>? selectors, PeerScope scope)
    {
        if (selectors is null)
        {
            return false;
        }

        foreach (var s in selectors)
        {
            peers.Add(scope.Inject(SelectorTranslation.FromModel(s)));
        }

        return true;
    }

    private static bool AddCidrs(List<IdentitySelector> peers, IReadOnlyList<CidrPrefix>? cidrs, IReadOnlyList<CidrRule>? sets, List<string> notes)
    {
        if (cidrs is null && sets is null)
        {
            return false;
        }

        foreach (var c in cidrs ?? [])
        {
            peers.Add(new CidrSelector(IpPrefix.FromNetwork(c.Network)));
        }

        foreach (var set in sets ?? [])
        {
            if (set.Cidr is not null)
            {
                peers.Add(new CidrSelector(IpPrefix.FromNetwork(set.Cidr.Network), set.Except.Select(e => IpPrefix.FromNetwork(e.Network))));
            }
            else
            {
                notes.Add("cidrGroupRef/cidrGroupSelector (CiliumCIDRGroup) is not enforced: it selects no prefix");
            }
        }

        return true;
    }

    private static bool AddEntities(List<IdentitySelector> peers, IReadOnlyList<EntityReference>? entities)
    {
        if (entities is null)
        {
            return false;
        }

        foreach (var e in entities)
        {
            peers.Add(new EntitySelector(EntityName(e.Entity)));
        }

        return true;
    }

    private static bool AddNodes(List<IdentitySelector> peers, IReadOnlyList<EndpointSelector>? nodes, List<string> notes)
    {
        if (nodes is null)
        {
            return false;
        }

        notes.Add("from/toNodes: node labels are not known on a single host; it selects remote-node identities whose labels match");
        foreach (var s in nodes)
        {
            // Cilium adds a reserved:remote-node Exists requirement to node selectors.
            peers.Add(SelectorTranslation.FromModel(s).With(new SelectorRequirement(LabelSource.Reserved, "remote-node", SelectorOperator.Exists)));
        }

        return true;
    }

    private static bool NotEnforcedPeer<T>(IReadOnlyList<T>? field, string what, List<string> notes)
    {
        if (field is null)
        {
            return false;
        }

        notes.Add($"{what} is not enforced: it selects no peer");
        return true;
    }

    private static List<L4Range> CompilePorts(IReadOnlyList<PortRule>? portRules, IReadOnlyList<IcmpRule>? icmps, bool deny, List<string> notes)
    {
        var ranges = new List<L4Range>();
        bool hasPorts = (portRules?.Count ?? 0) > 0;
        bool hasIcmps = (icmps?.Count ?? 0) > 0;
        if (!hasPorts && !hasIcmps)
        {
            ranges.Add(L4Range.AllTraffic);
            return ranges;
        }

        foreach (var pr in portRules ?? [])
        {
            NoteL7(pr, notes);
            if (pr.Ports.Count == 0)
            {
                ranges.AddRange(PortProtocols.Select(L4Range.AllPorts));
            }

            foreach (var pp in pr.Ports)
            {
                AddPortProtocol(ranges, pp, deny, notes);
            }
        }

        foreach (var icmp in icmps ?? [])
        {
            foreach (var field in icmp.Fields)
            {
                byte proto = field.Family == IpFamily.IPv6 ? IpProtocol.IcmpV6 : IpProtocol.Icmp;
                ranges.Add(new L4Range(proto, field.Type, field.Type));
            }
        }

        return [.. ranges.Distinct()];
    }

    private static void AddPortProtocol(List<L4Range> ranges, PortProtocol pp, bool deny, List<string> notes)
    {
        IEnumerable<byte> protocols = Protocols(pp.Protocol);
        if (pp.IsNamed)
        {
            // Named ports need the peer's container port names, which Sluice endpoints do not declare.
            if (deny)
            {
                notes.Add($"named port '{pp.Port}' is not enforced: the deny covers every port of its protocol");
                ranges.AddRange(protocols.Select(L4Range.AllPorts));
            }
            else
            {
                notes.Add($"named port '{pp.Port}' is not enforced: it allows nothing");
            }

            return;
        }

        int low = pp.PortNumber ?? 0;
        if (low > ushort.MaxValue)
        {
            // Validation rejects this; compiled documents built by hand may still carry it.
            notes.Add($"port {low} is out of range: this entry covers no port");
            return;
        }

        if (low == 0)
        {
            ranges.AddRange(protocols.Select(L4Range.AllPorts));
            return;
        }

        int high = pp.EndPort is { } end && end > low ? Math.Min(end, ushort.MaxValue) : low;
        foreach (var p in protocols)
        {
            ranges.Add(new L4Range(p, (ushort)low, (ushort)high));
        }
    }

    /// <summary>Protocols a <c>protocol:</c> value stands for; ANY means TCP, UDP and SCTP, as in Cilium.</summary>
    internal static IEnumerable<byte> Protocols(L4Protocol protocol) => protocol switch
    {
        L4Protocol.TCP => [IpProtocol.Tcp],
        L4Protocol.UDP => [IpProtocol.Udp],
        L4Protocol.SCTP => [IpProtocol.Sctp],
        L4Protocol.ICMP => [IpProtocol.Icmp],
        L4Protocol.ICMPv6 => [IpProtocol.IcmpV6],
        L4Protocol.VRRP => [112],
        L4Protocol.IGMP => [2],
        _ => PortProtocols,
    };

    private static void NoteL7(PortRule pr, List<string> notes)
    {
        if (pr.Rules is { IsEmpty: false } l7)
        {
            string kind = l7.Http is { Count: > 0 } ? "HTTP" : l7.Dns is { Count: > 0 } ? "DNS" : l7.Kafka is { Count: > 0 } ? "Kafka" : "L7 (" + l7.L7Proto + ")";
            notes.Add($"{kind} rules are not enforced: the traffic is allowed at L4 on these ports");
        }

        if (pr.ServerNames is { Count: > 0 } || pr.TerminatingTLS is not null || pr.OriginatingTLS is not null)
        {
            notes.Add("TLS (serverNames/terminatingTLS/originatingTLS) is not enforced: the traffic is allowed at L4");
        }

        if (pr.Listener is not null)
        {
            notes.Add("listener (Envoy redirect) is not enforced: the traffic is allowed at L4");
        }
    }

    /// <summary>The entity's policy name (<c>remote-node</c>, <c>kube-apiserver</c>, …).</summary>
    internal static string EntityName(Entity entity) => entity switch
    {
        Entity.All => "all",
        Entity.World => "world",
        Entity.WorldIPv4 => "world-ipv4",
        Entity.WorldIPv6 => "world-ipv6",
        Entity.Cluster => "cluster",
        Entity.Host => "host",
        Entity.RemoteNode => "remote-node",
        Entity.KubeApiserver => "kube-apiserver",
        Entity.Ingress => "ingress",
        Entity.Init => "init",
        Entity.Health => "health",
        Entity.Unmanaged => "unmanaged",
        _ => "none",
    };
}
