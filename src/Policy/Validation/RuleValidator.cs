using System.Globalization;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;

namespace Sluice.Policy.Validation;

/// <summary>
/// Cross-field checks on a parsed Cilium rule, mirroring Cilium's rule sanitisation
/// (pkg/policy/api/rule_validation.go) and the CRD envelope rules (pkg/k8s/apis/cilium.io/v2): one subject
/// selector, nodeSelector only in the clusterwide kind, one peer kind per rule, no icmps beside toPorts,
/// port counts and ranges, and the L7/TLS/listener constraints.
/// </summary>
internal static class RuleValidator
{
    /// <summary>Most ports per port rule (Cilium's maxPorts).</summary>
    public const int MaxPorts = 40;

    /// <summary>Namespace label Cilium adds to every pod and forces into a CNP's endpointSelector.</summary>
    public const string PodNamespaceLabel = "k8s:io.kubernetes.pod.namespace";

    private static readonly string[] SectionNames = ["ingress", "ingressDeny", "egress", "egressDeny"];

    /// <summary>Validates one rule of a document of <paramref name="kind"/>.</summary>
    public static void Validate(PolicyRule rule, PolicyKind kind, string? policyNamespace, ParseContext context)
    {
        var path = rule.FieldPath;
        var malformedSelector = context.ErroredPaths.Contains(path + ".endpointSelector") || context.ErroredPaths.Contains(path + ".nodeSelector");
        if (rule.EndpointSelector is null && rule.NodeSelector is null && !malformedSelector)
        {
            context.Error(rule.Location, path, DiagnosticCodes.SubjectSelector, "a rule needs an endpointSelector or a nodeSelector");
        }
        else if (rule.EndpointSelector is not null && rule.NodeSelector is not null)
        {
            context.Error(context.KeyAt(path + ".nodeSelector", rule.NodeSelector.Location), path + ".nodeSelector", DiagnosticCodes.SubjectSelector,
                "a rule takes either endpointSelector or nodeSelector, not both");
        }

        if (rule.NodeSelector is not null && kind == PolicyKind.CiliumNetworkPolicy)
        {
            context.Error(context.KeyAt(path + ".nodeSelector", rule.NodeSelector.Location), path + ".nodeSelector", DiagnosticCodes.NodeSelectorNotClusterwide,
                "nodeSelector is only allowed in a CiliumClusterwideNetworkPolicy");
        }

        // Reference §1.1 (Rule.Sanitize): at least one section must have entries; `egress: []` alone is an empty rule.
        if ((rule.Ingress?.Count ?? 0) == 0 && (rule.IngressDeny?.Count ?? 0) == 0 && (rule.Egress?.Count ?? 0) == 0 && (rule.EgressDeny?.Count ?? 0) == 0
            && !SectionNames.Any(name => context.ErroredPaths.Contains(path + "." + name)))
        {
            var nullSection = SectionNames.FirstOrDefault(name => context.KeyLocations.ContainsKey(path + "." + name));
            context.Error(rule.Location, path, DiagnosticCodes.EmptyPolicy,
                "a rule needs at least one of ingress, ingressDeny, egress, egressDeny" + (nullSection is null
                    ? string.Empty
                    : $" ('{nullSection}' has no entries here; write '{nullSection}: [{{}}]' to put the endpoints into default deny without allowing anything)"));
        }

        if (kind == PolicyKind.CiliumNetworkPolicy && policyNamespace is not null && rule.EndpointSelector is { } selector
            && selector.MatchLabels.TryGetValue(PodNamespaceLabel, out var selectedNamespace) && selectedNamespace != policyNamespace)
        {
            context.Warning(selector.Location, path + ".endpointSelector.matchLabels", DiagnosticCodes.NamespaceOverridden,
                $"endpointSelector names namespace '{selectedNamespace}' but the policy is in '{policyNamespace}'; the policy's namespace is used");
        }

        var hostPolicy = rule.NodeSelector is not null;
        foreach (var ingress in rule.Ingress ?? [])
        {
            ValidateIngress(ingress, hostPolicy, context);
        }

        foreach (var ingress in rule.IngressDeny ?? [])
        {
            ValidateIngress(ingress, hostPolicy, context);
        }

        foreach (var egress in rule.Egress ?? [])
        {
            ValidateEgress(egress, hostPolicy, context);
        }

        foreach (var egress in rule.EgressDeny ?? [])
        {
            ValidateEgress(egress, hostPolicy, context);
        }
    }

    private static void ValidateIngress(IngressRule rule, bool hostPolicy, ParseContext context)
    {
        CheckPeers(rule.FieldPath, rule.Location, context,
            ("fromEndpoints", rule.FromEndpoints?.Count ?? 0),
            ("fromCIDR", rule.FromCIDR?.Count ?? 0),
            ("fromCIDRSet", rule.FromCIDRSet?.Count ?? 0),
            ("fromEntities", rule.FromEntities?.Count ?? 0),
            ("fromNodes", rule.FromNodes?.Count ?? 0),
            ("fromGroups", rule.FromGroups?.Count ?? 0));
        CheckPortsAndIcmps(rule.FieldPath, rule.Location, rule.ToPorts, rule.ICMPs, ingress: true, hostPolicy, context);
    }

    private static void ValidateEgress(EgressRule rule, bool hostPolicy, ParseContext context)
    {
        CheckPeers(rule.FieldPath, rule.Location, context,
            ("toEndpoints", rule.ToEndpoints?.Count ?? 0),
            ("toCIDR", rule.ToCIDR?.Count ?? 0),
            ("toCIDRSet", rule.ToCIDRSet?.Count ?? 0),
            ("toEntities", rule.ToEntities?.Count ?? 0),
            ("toServices", rule.ToServices?.Count ?? 0),
            ("toFQDNs", rule.ToFQDNs?.Count ?? 0),
            ("toGroups", rule.ToGroups?.Count ?? 0),
            ("toNodes", rule.ToNodes?.Count ?? 0));
        CheckPortsAndIcmps(rule.FieldPath, rule.Location, rule.ToPorts, rule.ICMPs, ingress: false, hostPolicy, context);
    }

    /// <summary>Cilium accepts one non-empty peer list per rule ("Combining X and Y is not supported yet").</summary>
    private static void CheckPeers(string path, SourceLocation fallback, ParseContext context, params (string Name, int Count)[] peers)
    {
        var used = peers.Where(p => p.Count > 0)
            .Select(p => (p.Name, Location: context.KeyAt(path + "." + p.Name, fallback)))
            .OrderBy(p => p.Location.Line).ThenBy(p => p.Location.Column)
            .ToList();
        for (var i = 1; i < used.Count; i++)
        {
            context.Error(used[i].Location, path + "." + used[i].Name, DiagnosticCodes.CombinedPeers,
                $"combining {used[0].Name} and {used[i].Name} in one rule is not supported; write them as separate rules");
        }
    }

    private static void CheckPortsAndIcmps(string path, SourceLocation fallback, IReadOnlyList<PortRule>? toPorts, IReadOnlyList<IcmpRule>? icmps,
        bool ingress, bool hostPolicy, ParseContext context)
    {
        if ((toPorts?.Count ?? 0) > 0 && (icmps?.Count ?? 0) > 0)
        {
            var icmpsKey = context.KeyAt(path + ".icmps", fallback);
            var portsKey = context.KeyAt(path + ".toPorts", fallback);
            var (name, location) = (icmpsKey.Line, icmpsKey.Column).CompareTo((portsKey.Line, portsKey.Column)) > 0
                ? ("icmps", icmpsKey) : ("toPorts", portsKey);
            context.Error(location, path + "." + name, DiagnosticCodes.IcmpWithToPorts,
                "icmps and toPorts cannot be in the same rule; write a separate rule for each");
        }

        for (var i = 0; i < (toPorts?.Count ?? 0); i++)
        {
            CheckPortRule(toPorts![i], $"{path}.toPorts[{i.ToString(CultureInfo.InvariantCulture)}]", ingress, hostPolicy, context);
        }
    }

    private static void CheckPortRule(PortRule rule, string path, bool ingress, bool hostPolicy, ParseContext context)
    {
        if (rule.Ports.Count > MaxPorts)
        {
            context.Error(context.KeyAt(path + ".ports", rule.Location), path + ".ports", DiagnosticCodes.TooManyItems,
                $"{rule.Ports.Count} ports in one port rule; the maximum is {MaxPorts}");
        }

        for (var i = 0; i < rule.Ports.Count; i++)
        {
            CheckPort(rule.Ports[i], $"{path}.ports[{i.ToString(CultureInfo.InvariantCulture)}]", context);
        }

        var l7 = rule.Rules is { IsEmpty: false } ? rule.Rules : null;
        var hasDns = (l7?.Dns?.Count ?? 0) > 0;
        var rulesPath = path + ".rules";
        if (rule.Rules is { } rules)
        {
            var kinds = new[] { rules.Http is not null, rules.Kafka is not null, rules.Dns is not null, !string.IsNullOrEmpty(rules.L7Proto) }.Count(b => b);
            if (kinds > 1)
            {
                context.Error(context.KeyAt(rulesPath, rules.Location), rulesPath, DiagnosticCodes.InvalidL7, "one port rule may hold only one kind of L7 rules (http, kafka, dns or l7proto)");
            }

            if (rules.L7 is not null && string.IsNullOrEmpty(rules.L7Proto))
            {
                context.Error(context.KeyAt(rulesPath + ".l7", rules.Location), rulesPath + ".l7", DiagnosticCodes.InvalidL7, "'l7' needs 'l7proto'");
            }
        }

        if (hasDns && ingress)
        {
            context.Error(context.KeyAt(rulesPath + ".dns", rule.Location), rulesPath + ".dns", DiagnosticCodes.InvalidL7, "DNS rules are not allowed on ingress");
        }

        if (hasDns && rule.Ports.Count == 0)
        {
            context.Error(context.KeyAt(rulesPath + ".dns", rule.Location), rulesPath + ".dns", DiagnosticCodes.InvalidL7, "DNS rules need an explicit port (53)");
        }

        if (hostPolicy && l7 is not null && ((l7.Http?.Count ?? 0) > 0 || (l7.Kafka?.Count ?? 0) > 0))
        {
            context.Error(context.KeyAt(rulesPath, rule.Location), rulesPath, DiagnosticCodes.InvalidL7, "host policies (nodeSelector) do not support HTTP or Kafka rules");
        }

        if (rule.ServerNames is { } names)
        {
            if (names.Any(n => n.Length == 0))
            {
                context.Error(context.KeyAt(path + ".serverNames", rule.Location), path + ".serverNames", DiagnosticCodes.InvalidL7, "empty server names are not allowed");
            }

            if (names.Count > 0 && l7 is not null && rule.TerminatingTLS is null)
            {
                context.Error(context.KeyAt(path + ".serverNames", rule.Location), path + ".serverNames", DiagnosticCodes.InvalidL7,
                    "serverNames together with L7 rules need terminatingTLS");
            }
        }

        if (rule.Listener is not null)
        {
            if (ingress)
            {
                context.Error(context.KeyAt(path + ".listener", rule.Location), path + ".listener", DiagnosticCodes.InvalidL7, "listener is only allowed on egress");
            }

            if (l7 is not null)
            {
                context.Error(context.KeyAt(path + ".listener", rule.Location), path + ".listener", DiagnosticCodes.InvalidL7, "listener cannot be combined with L7 rules");
            }
        }

        if (l7 is null)
        {
            return;
        }

        for (var i = 0; i < rule.Ports.Count; i++)
        {
            var port = rule.Ports[i];
            var portPath = $"{path}.ports[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (port.PortNumber == 0)
            {
                context.Error(context.KeyAt(portPath + ".port", port.Location), portPath + ".port", DiagnosticCodes.InvalidL7, "L7 rules cannot be used with port 0 (all ports)");
            }

            if (!hasDns && port.Protocol != L4Protocol.TCP)
            {
                context.Error(context.KeyAt(portPath + ".protocol", port.Location), portPath + ".protocol", DiagnosticCodes.InvalidL7,
                    $"L7 rules other than DNS apply to TCP only, not {ProtocolName(port.Protocol)}");
            }

            if (hasDns && port.EndPort is { } end && port.PortNumber is { } start && end > start)
            {
                context.Error(context.KeyAt(portPath + ".endPort", port.Location), portPath + ".endPort", DiagnosticCodes.InvalidL7, "DNS rules do not support port ranges");
            }
        }
    }

    private static void CheckPort(PortProtocol port, string path, ParseContext context)
    {
        var extended = port.Protocol is L4Protocol.VRRP or L4Protocol.IGMP;
        if (port.Port.Length == 0 && !extended)
        {
            context.Error(port.Location, path + ".port", DiagnosticCodes.InvalidPort,
                "a port must be given (a number, a name, or \"0\" for all ports)");
        }
        else if (extended && port.Port.Length > 0 && port.Port != "0")
        {
            context.Error(context.KeyAt(path + ".port", port.Location), path + ".port", DiagnosticCodes.InvalidPort,
                $"protocol {ProtocolName(port.Protocol)} has no ports; leave port empty or \"0\"");
        }

        if (port.EndPort is not { } end)
        {
            return;
        }

        var endLocation = context.KeyAt(path + ".endPort", port.Location);
        if (port.IsNamed)
        {
            context.Warning(endLocation, path + ".endPort", DiagnosticCodes.InvalidPortRange,
                $"endPort is ignored for the named port '{port.Port}'");
        }
        else if (port.PortNumber is { } start && end < start)
        {
            context.Error(endLocation, path + ".endPort", DiagnosticCodes.InvalidPortRange,
                $"endPort {end} is lower than port {start}");
        }
    }

    private static string ProtocolName(L4Protocol protocol) => protocol == L4Protocol.Any ? "ANY" : protocol.ToString();
}
