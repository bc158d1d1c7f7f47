using FsCheck;
using FsCheck.Fluent;

namespace Sluice.Policy.Tests.Properties;

/// <summary>
/// FsCheck generators of valid policies over a small label universe, so that generated selectors and the
/// generated endpoints overlap often enough for the properties to say something. Every generated rule
/// obeys Cilium's validation rules (one peer kind per rule, icmps never with toPorts, endPort ≥ port,
/// except inside its cidr, known entities, ICMP types by number or name).
/// </summary>
public static class PolicyGenerators
{
    /// <summary>Label keys and their possible values.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> LabelUniverse = new Dictionary<string, string[]>
    {
        ["app"] = ["web", "api", "db"],
        ["tier"] = ["front", "back"],
        ["env"] = ["prod", "dev"],
    };

    /// <summary>Namespaces endpoints and namespaced policies live in.</summary>
    public static readonly string[] Namespaces = ["shop", "ops"];

    private static readonly string[] Entities = ["world", "cluster", "host", "all", "remote-node", "health", "none", "kube-apiserver", "init", "unmanaged", "ingress"];
    private static readonly string[] Cidrs = ["10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24", "0.0.0.0/0", "203.0.113.7/32", "fd00::/8"];
    private static readonly (string Cidr, string Except)[] CidrExcepts = [("10.0.0.0/8", "10.1.0.0/16"), ("0.0.0.0/0", "10.0.0.0/8"), ("192.0.2.0/24", "192.0.2.128/25")];
    private static readonly int[] Ports = [53, 80, 443, 8080, 0];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP", "ANY", ""];
    private static readonly object[] IcmpTypesV4 = [0, 8, 3, "EchoRequest", "EchoReply", "TimeExceeded"];
    private static readonly object[] IcmpTypesV6 = [128, 129, "EchoRequest", "PacketTooBig"];

    /// <summary>A label selector: 0–2 matchLabels and at most one matchExpression.</summary>
    public static Gen<Dictionary<string, object>> Selector() =>
        from labelCount in Gen.Choose(0, 2)
        from keys in Gen.Shuffle(LabelUniverse.Keys.ToArray())
        from values in Gen.ArrayOf(Gen.Choose(0, 2), labelCount)
        from expression in Gen.Frequency((3, Gen.Constant<Dictionary<string, object>?>(null)), (1, Expression().Select(e => (Dictionary<string, object>?)e)))
        select BuildSelector(keys.Take(labelCount).Select((k, i) => (k, LabelUniverse[k][values[i] % LabelUniverse[k].Length])), expression);

    /// <summary>One rule: an endpointSelector and one or two directions, each allow or deny.</summary>
    public static Gen<Dictionary<string, object>> Rule() =>
        from subject in Selector()
        from sections in Gen.NonEmptyListOf(Section()).Select(l => l.Take(2).ToList())
        from defaultDeny in Gen.Frequency((4, Gen.Constant<bool?>(null)), (1, Gen.Elements<bool?>(true, false)))
        select BuildRule(subject, sections, defaultDeny);

    /// <summary>A rule that only denies (ingressDeny or egressDeny).</summary>
    public static Gen<Dictionary<string, object>> DenyRule() =>
        from subject in Selector()
        from direction in Gen.Elements("ingressDeny", "egressDeny")
        from items in PeerRules(direction)
        select BuildRule(subject, [(direction, items)], null);

    /// <summary>A rule that only allows, and does not switch the endpoints it selects into default deny.</summary>
    public static Gen<Dictionary<string, object>> AllowRuleWithoutDefaultDeny() =>
        from subject in Selector()
        from direction in Gen.Elements("ingress", "egress")
        from items in PeerRules(direction)
        select BuildRule(subject, [(direction, items)], false);

    /// <summary>A policy document: a CNP or CCNP of 1–3 rules, or a Kubernetes NetworkPolicy.</summary>
    public static Gen<GeneratedPolicy> Policy(string name) =>
        Gen.Frequency((5, CiliumPolicy(name)), (2, KubernetesPolicy(name)));

    /// <summary>A CNP or CCNP of 1–3 rules.</summary>
    public static Gen<GeneratedPolicy> CiliumPolicy(string name) =>
        from clusterwide in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from ns in Gen.Elements(Namespaces)
        from rules in Gen.NonEmptyListOf(Rule()).Select(l => l.Take(3).ToList())
        select new GeneratedPolicy(
            clusterwide ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy",
            name,
            clusterwide ? null : ns,
            rules);

    /// <summary>
    /// A Kubernetes NetworkPolicy: podSelector, optional policyTypes consistent with its sections, 0–2
    /// ingress and egress rules with podSelector / namespaceSelector (on the implicit
    /// <c>kubernetes.io/metadata.name</c> label) / both / ipBlock peers and numeric ports with endPort.
    /// </summary>
    public static Gen<GeneratedPolicy> KubernetesPolicy(string name) =>
        from ns in Gen.Elements(Namespaces)
        from podSelector in Selector()
        from ingress in Gen.Frequency((1, Gen.Constant<List<Dictionary<string, object>>?>(null)), (3, Gen.ListOf(NetworkPolicyRule("from")).Select(l => (List<Dictionary<string, object>>?)l.Take(2).ToList())))
        from egress in Gen.Frequency((2, Gen.Constant<List<Dictionary<string, object>>?>(null)), (2, Gen.ListOf(NetworkPolicyRule("to")).Select(l => (List<Dictionary<string, object>>?)l.Take(2).ToList())))
        from explicitTypes in Gen.Elements(false, true)
        select new GeneratedPolicy(GeneratedPolicy.KubernetesKind, name, ns, [BuildNetworkPolicySpec(podSelector, ingress, egress, explicitTypes)]);

    /// <summary>A set of 1–4 policies with distinct names.</summary>
    public static Gen<List<GeneratedPolicy>> Policies() =>
        from count in Gen.Choose(1, 4)
        from policies in Gen.CollectToList(Enumerable.Range(0, count).Select(i => Policy($"p{i}")))
        select policies;

    /// <summary>Labels of one workload: 1–3 labels from the universe.</summary>
    public static Gen<Dictionary<string, string>> WorkloadLabels() =>
        from keys in Gen.SubListOf(LabelUniverse.Keys.ToArray()).Where(k => k.Count > 0)
        from values in Gen.ArrayOf(Gen.Choose(0, 2), keys.Count)
        select keys.Select((k, i) => (k, v: LabelUniverse[k][values[i] % LabelUniverse[k].Length])).ToDictionary(p => p.k, p => p.v);

    private static Gen<Dictionary<string, object>> NetworkPolicyRule(string peerField)
    {
        var namespaceSelector = Gen.Frequency(
            (1, Gen.Constant(new Dictionary<string, object>())),
            (3, Gen.Elements(Namespaces).Select(n => new Dictionary<string, object>
            {
                ["matchLabels"] = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = n },
            })));
        var peer = Gen.Frequency(
            (3, Selector().Select(s => new Dictionary<string, object> { ["podSelector"] = s })),
            (2, namespaceSelector.Select(n => new Dictionary<string, object> { ["namespaceSelector"] = n })),
            (2, from s in Selector() from n in namespaceSelector select new Dictionary<string, object> { ["podSelector"] = s, ["namespaceSelector"] = n }),
            (1, Gen.Elements(CidrExcepts).Select(c => new Dictionary<string, object>
            {
                ["ipBlock"] = new Dictionary<string, object> { ["cidr"] = c.Cidr, ["except"] = new List<string> { c.Except } },
            })));
        var port = from number in Gen.Elements(80, 443, 53, 8080)
                   from range in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 50)))
                   from protocol in Gen.Elements("TCP", "UDP", "SCTP", "")
                   select BuildNetworkPolicyPort(number, range, protocol);
        return from peers in Gen.Frequency((1, Gen.Constant<List<Dictionary<string, object>>?>(null)), (4, Gen.NonEmptyListOf(peer).Select(l => (List<Dictionary<string, object>>?)l.Take(2).ToList())))
               from ports in Gen.Frequency((2, Gen.Constant<List<Dictionary<string, object>>?>(null)), (3, Gen.NonEmptyListOf(port).Select(l => (List<Dictionary<string, object>>?)l.Take(2).ToList())))
               select BuildNetworkPolicyRule(peerField, peers, ports);
    }

    private static Dictionary<string, object> BuildNetworkPolicyRule(string peerField, List<Dictionary<string, object>>? peers, List<Dictionary<string, object>>? ports)
    {
        var rule = new Dictionary<string, object>();
        if (peers is not null)
        {
            rule[peerField] = peers;
        }

        if (ports is not null)
        {
            rule["ports"] = ports;
        }

        return rule;
    }

    private static Dictionary<string, object> BuildNetworkPolicyPort(int port, int range, string protocol)
    {
        var entry = new Dictionary<string, object> { ["port"] = port };
        if (range > 0)
        {
            entry["endPort"] = port + range;
        }

        if (protocol.Length > 0)
        {
            entry["protocol"] = protocol;
        }

        return entry;
    }

    private static Dictionary<string, object> BuildNetworkPolicySpec(Dictionary<string, object> podSelector, List<Dictionary<string, object>>? ingress, List<Dictionary<string, object>>? egress, bool explicitTypes)
    {
        var spec = new Dictionary<string, object> { ["podSelector"] = podSelector };
        if (ingress is not null)
        {
            spec["ingress"] = ingress;
        }

        if (egress is not null)
        {
            spec["egress"] = egress;
        }

        // policyTypes, when written, lists exactly the sections present (Ingress always, as Kubernetes
        // defaults it), so the spec never carries rules its policyTypes would ignore.
        if (explicitTypes)
        {
            var types = new List<string> { "Ingress" };
            if (egress is not null)
            {
                types.Add("Egress");
            }

            spec["policyTypes"] = types;
        }

        return spec;
    }

    private static Gen<Dictionary<string, object>> Expression() =>
        from key in Gen.Elements(LabelUniverse.Keys.ToArray())
        from op in Gen.Elements("In", "NotIn", "Exists", "DoesNotExist")
        from values in Gen.SubListOf(LabelUniverse[key]).Where(v => v.Count > 0)
        select op is "Exists" or "DoesNotExist"
            ? new Dictionary<string, object> { ["key"] = key, ["operator"] = op }
            : new Dictionary<string, object> { ["key"] = key, ["operator"] = op, ["values"] = values.ToList() };

    private static Gen<(string Direction, List<Dictionary<string, object>> Items)> Section() =>
        from direction in Gen.Elements("ingress", "egress", "ingressDeny", "egressDeny")
        from items in PeerRules(direction)
        select (direction, items);

    private static Gen<List<Dictionary<string, object>>> PeerRules(string direction) =>
        Gen.NonEmptyListOf(PeerRule(direction)).Select(l => l.Take(3).ToList());

    private static Gen<Dictionary<string, object>> PeerRule(string direction)
    {
        string prefix = direction.StartsWith("ingress", StringComparison.Ordinal) ? "from" : "to";
        var peer = Gen.Frequency(
            (2, Gen.Constant<(string, object)?>(null)),
            (4, Gen.NonEmptyListOf(Selector()).Select(l => ((string, object)?)($"{prefix}Endpoints", l.Take(2).Cast<object>().ToList()))),
            (2, Gen.SubListOf(Entities).Where(e => e.Count > 0).Select(e => ((string, object)?)($"{prefix}Entities", e.Take(2).ToList()))),
            (1, Gen.SubListOf(Cidrs).Where(c => c.Count > 0).Select(c => ((string, object)?)($"{prefix}CIDR", c.Take(2).ToList()))),
            (1, Gen.Elements(CidrExcepts).Select(c => ((string, object)?)($"{prefix}CIDRSet",
                new List<object> { new Dictionary<string, object> { ["cidr"] = c.Cidr, ["except"] = new List<string> { c.Except } } }))));
        var l4 = Gen.Frequency(
            (2, Gen.Constant<(string, object)?>(null)),
            (3, Gen.NonEmptyListOf(Port()).Select(p => ((string, object)?)("toPorts",
                new List<object> { new Dictionary<string, object> { ["ports"] = p.Take(3).ToList() } }))),
            (1, Icmp().Select(i => ((string, object)?)("icmps",
                new List<object> { new Dictionary<string, object> { ["fields"] = new List<object> { i } } }))));
        return from p in peer
               from l in l4
               select BuildPeerRule(p, l);
    }

    private static Gen<Dictionary<string, object>> Port() =>
        from port in Gen.Elements(Ports)
        from range in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 100)))
        from protocol in Gen.Elements(Protocols)
        select BuildPort(port, port == 0 ? 0 : range, protocol);

    private static Gen<Dictionary<string, object>> Icmp() =>
        from v6 in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from type in Gen.Elements(v6 ? IcmpTypesV6 : IcmpTypesV4)
        select new Dictionary<string, object> { ["family"] = v6 ? "IPv6" : "IPv4", ["type"] = type };

    private static Dictionary<string, object> BuildSelector(IEnumerable<(string Key, string Value)> labels, Dictionary<string, object>? expression)
    {
        var selector = new Dictionary<string, object>();
        var matchLabels = labels.ToDictionary(l => l.Key, l => l.Value);
        if (matchLabels.Count > 0)
        {
            selector["matchLabels"] = matchLabels;
        }

        if (expression is not null)
        {
            selector["matchExpressions"] = new List<object> { expression };
        }

        return selector;
    }

    private static Dictionary<string, object> BuildRule(Dictionary<string, object> subject, IEnumerable<(string Direction, List<Dictionary<string, object>> Items)> sections, bool? defaultDeny)
    {
        var rule = new Dictionary<string, object> { ["endpointSelector"] = subject };
        foreach (var (direction, items) in sections)
        {
            // A second section in the same direction extends the first rather than replacing it.
            if (rule.TryGetValue(direction, out var existing))
            {
                ((List<Dictionary<string, object>>)existing).AddRange(items);
            }
            else
            {
                rule[direction] = new List<Dictionary<string, object>>(items);
            }
        }

        if (defaultDeny is { } value)
        {
            rule["enableDefaultDeny"] = new Dictionary<string, object> { ["ingress"] = value, ["egress"] = value };
        }

        return rule;
    }

    private static Dictionary<string, object> BuildPeerRule((string Field, object Value)? peer, (string Field, object Value)? l4)
    {
        var rule = new Dictionary<string, object>();
        if (peer is { } p)
        {
            rule[p.Field] = p.Value;
        }

        if (l4 is { } l)
        {
            rule[l.Field] = l.Value;
        }

        return rule;
    }

    private static Dictionary<string, object> BuildPort(int port, int range, string protocol)
    {
        var entry = new Dictionary<string, object> { ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (range > 0)
        {
            entry["endPort"] = Math.Min(65535, port + range);
        }

        if (protocol.Length > 0)
        {
            entry["protocol"] = protocol;
        }

        return entry;
    }
}
