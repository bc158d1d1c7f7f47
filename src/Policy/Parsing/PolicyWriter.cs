using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Serialises a <see cref="PolicyDocument"/> back to YAML that <see cref="PolicyParser"/> reads into an
/// equivalent document: absent lists stay absent, empty lists are written as <c>[]</c>, a rule read from
/// <c>spec</c> goes back to <c>spec</c> and the others to <c>specs</c>.
/// </summary>
public static class PolicyWriter
{
    /// <summary>Writes <paramref name="document"/> as one YAML document.</summary>
    public static string ToYaml(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return YamlEmitter.Emit(document.Kind switch
        {
            PolicyKind.RuleList => document.Rules.Select(Rule).Cast<object>().ToList(),
            PolicyKind.KubernetesNetworkPolicy => Kubernetes(document),
            _ => Cilium(document),
        });
    }

    private static YamlMap Cilium(PolicyDocument document)
    {
        var spec = document.Rules.FirstOrDefault(r => r.FieldPath == "spec");
        var specs = document.Rules.Where(r => !ReferenceEquals(r, spec)).Select(Rule).Cast<object>().ToList();
        return new YamlMap()
            .Set("apiVersion", "cilium.io/v2")
            .Set("kind", document.Kind.ToString())
            .Set("metadata", Metadata(document))
            .Set("spec", spec is null ? null : Rule(spec))
            .Set("specs", specs.Count > 0 || spec is null ? specs : null);
    }

    private static YamlMap Metadata(PolicyDocument document) => new YamlMap()
        .Set("name", document.Name)
        .Set("namespace", document.Namespace)
        .Set("labels", document.Labels.Count > 0 ? StringMap(document.Labels) : null);

    private static YamlMap Rule(PolicyRule rule) => new YamlMap()
        .Set("endpointSelector", Selector(rule.EndpointSelector))
        .Set("nodeSelector", Selector(rule.NodeSelector))
        .Set("ingress", List(rule.Ingress, Ingress))
        .Set("ingressDeny", List(rule.IngressDeny, Ingress))
        .Set("egress", List(rule.Egress, Egress))
        .Set("egressDeny", List(rule.EgressDeny, Egress))
        .Set("enableDefaultDeny", rule.EnableDefaultDeny is { } d ? new YamlMap().Set("ingress", d.Ingress).Set("egress", d.Egress) : null)
        .Set("description", rule.Description)
        .Set("labels", rule.Labels.Count > 0
            ? List(rule.Labels, l => new YamlMap().Set("key", l.Key).Set("value", l.Value).Set("source", l.Source.Length > 0 ? l.Source : null))
            : null)
        .Set("log", rule.Log is { } log ? new YamlMap().Set("value", log.Value) : null);

    private static YamlMap Ingress(IngressRule rule) => new YamlMap()
        .Set("fromEndpoints", List(rule.FromEndpoints, SelectorOf))
        .Set("fromRequires", List(rule.FromRequires, SelectorOf))
        .Set("fromCIDR", List(rule.FromCIDR, c => c.Text))
        .Set("fromCIDRSet", List(rule.FromCIDRSet, CidrRule))
        .Set("fromEntities", List(rule.FromEntities, e => e.Name))
        .Set("fromGroups", List(rule.FromGroups, Group))
        .Set("fromNodes", List(rule.FromNodes, SelectorOf))
        .Set("toPorts", List(rule.ToPorts, PortRule))
        .Set("icmps", List(rule.ICMPs, Icmp))
        .Set("authentication", Authentication(rule.Authentication));

    private static YamlMap Egress(EgressRule rule) => new YamlMap()
        .Set("toEndpoints", List(rule.ToEndpoints, SelectorOf))
        .Set("toRequires", List(rule.ToRequires, SelectorOf))
        .Set("toCIDR", List(rule.ToCIDR, c => c.Text))
        .Set("toCIDRSet", List(rule.ToCIDRSet, CidrRule))
        .Set("toEntities", List(rule.ToEntities, e => e.Name))
        .Set("toServices", List(rule.ToServices, Service))
        .Set("toGroups", List(rule.ToGroups, Group))
        .Set("toNodes", List(rule.ToNodes, SelectorOf))
        .Set("toFQDNs", List(rule.ToFQDNs, Fqdn))
        .Set("toPorts", List(rule.ToPorts, PortRule))
        .Set("icmps", List(rule.ICMPs, Icmp))
        .Set("authentication", Authentication(rule.Authentication));

    private static YamlMap? Authentication(Authentication? authentication) => authentication is null ? null
        : new YamlMap().Set("mode", authentication.Mode switch
        {
            AuthenticationMode.Disabled => "disabled",
            AuthenticationMode.Required => "required",
            _ => "test-always-fail",
        });

    private static YamlMap? Selector(EndpointSelector? selector) => selector is null ? null : SelectorOf(selector);

    private static YamlMap SelectorOf(EndpointSelector selector) => new YamlMap()
        .Set("matchLabels", selector.MatchLabels.Count > 0 ? StringMap(selector.MatchLabels) : null)
        .Set("matchExpressions", selector.MatchExpressions.Count > 0
            ? List(selector.MatchExpressions, e => new YamlMap()
                .Set("key", e.Key)
                .Set("operator", e.Operator.ToString())
                .Set("values", e.Values.Count > 0 ? List(e.Values, v => v) : null))
            : null);

    private static YamlMap CidrRule(CidrRule rule) => new YamlMap()
        .Set("cidr", rule.Cidr?.Text)
        .Set("cidrGroupRef", rule.CidrGroupRef)
        .Set("cidrGroupSelector", Selector(rule.CidrGroupSelector))
        .Set("except", rule.Except.Count > 0 ? List(rule.Except, e => e.Text) : null);

    private static YamlMap Service(ServiceSelector service)
    {
        var map = new YamlMap();
        if (service.ServiceName is not null)
        {
            map.Set("k8sService", new YamlMap().Set("serviceName", service.ServiceName).Set("namespace", service.Namespace));
        }
        else if (service.Selector is not null)
        {
            map.Set("k8sServiceSelector", new YamlMap().Set("selector", Selector(service.Selector)).Set("namespace", service.Namespace));
        }

        return map;
    }

    private static YamlMap Group(CloudGroup group) => new YamlMap().Set("aws", new YamlMap()
        .Set("labels", group.AwsLabels.Count > 0 ? StringMap(group.AwsLabels) : null)
        .Set("securityGroupsIds", group.AwsSecurityGroupsIds.Count > 0 ? List(group.AwsSecurityGroupsIds, v => v) : null)
        .Set("securityGroupsNames", group.AwsSecurityGroupsNames.Count > 0 ? List(group.AwsSecurityGroupsNames, v => v) : null)
        .Set("region", group.AwsRegion));

    private static YamlMap Fqdn(FqdnSelector fqdn) => new YamlMap().Set("matchName", fqdn.MatchName).Set("matchPattern", fqdn.MatchPattern);

    private static YamlMap PortRule(PortRule rule) => new YamlMap()
        .Set("ports", List(rule.Ports, p => new YamlMap()
            .Set("port", p.Port.Length > 0 ? p.Port : null)
            .Set("endPort", p.EndPort)
            .Set("protocol", Protocol(p.Protocol))))
        .Set("terminatingTLS", Tls(rule.TerminatingTLS))
        .Set("originatingTLS", Tls(rule.OriginatingTLS))
        .Set("serverNames", List(rule.ServerNames, n => n))
        .Set("listener", rule.Listener is { } l ? new YamlMap()
            .Set("envoyConfig", new YamlMap().Set("kind", l.EnvoyConfigKind).Set("name", l.EnvoyConfigName))
            .Set("name", l.Name)
            .Set("priority", l.Priority) : null)
        .Set("rules", rule.Rules is { } r ? new YamlMap()
            .Set("http", List(r.Http, h => new YamlMap()
                .Set("path", h.Path)
                .Set("method", h.Method)
                .Set("host", h.Host)
                .Set("headers", h.Headers.Count > 0 ? List(h.Headers, v => v) : null)
                .Set("headerMatches", h.HeaderMatches.Count > 0 ? List(h.HeaderMatches, m => new YamlMap()
                    .Set("mismatch", m.Mismatch)
                    .Set("name", m.Name)
                    .Set("secret", Secret(m.Secret))
                    .Set("value", m.Value)) : null)))
            .Set("kafka", List(r.Kafka, k => new YamlMap()
                .Set("role", k.Role)
                .Set("apiKey", k.ApiKey)
                .Set("apiVersion", k.ApiVersion)
                .Set("clientID", k.ClientId)
                .Set("topic", k.Topic)))
            .Set("dns", List(r.Dns, Fqdn))
            .Set("l7proto", r.L7Proto)
            .Set("l7", List(r.L7, StringMap)) : null);

    private static YamlMap? Tls(TlsContext? tls) => tls is null ? null : new YamlMap()
        .Set("secret", Secret(tls.Secret))
        .Set("trustedCA", tls.TrustedCA)
        .Set("certificate", tls.Certificate)
        .Set("privateKey", tls.PrivateKey);

    private static YamlMap? Secret(SecretReference? secret) => secret is null ? null
        : new YamlMap().Set("namespace", secret.Namespace).Set("name", secret.Name);

    private static YamlMap Icmp(IcmpRule rule) => new YamlMap().Set("fields", List(rule.Fields, f => new YamlMap()
        .Set("family", f.Family.ToString())
        .Set("type", f.TypeText.All(char.IsAsciiDigit) ? f.Type : f.TypeText)));

    private static string Protocol(L4Protocol protocol) => protocol switch
    {
        L4Protocol.Any => "ANY",
        L4Protocol.ICMPv6 => "ICMPv6",
        _ => protocol.ToString(),
    };

    private static YamlMap Kubernetes(PolicyDocument document)
    {
        var policy = document.Kubernetes!;
        return new YamlMap()
            .Set("apiVersion", "networking.k8s.io/v1")
            .Set("kind", "NetworkPolicy")
            .Set("metadata", Metadata(document))
            .Set("spec", new YamlMap()
                .Set("podSelector", Selector(policy.PodSelector))
                .Set("policyTypes", List(policy.PolicyTypes, t => t.ToString()))
                .Set("ingress", List(policy.Ingress, r => new YamlMap().Set("from", List(r.From, Peer)).Set("ports", List(r.Ports, NetworkPolicyPort))))
                .Set("egress", List(policy.Egress, r => new YamlMap().Set("to", List(r.To, Peer)).Set("ports", List(r.Ports, NetworkPolicyPort)))));
    }

    private static YamlMap Peer(NetworkPolicyPeer peer) => new YamlMap()
        .Set("podSelector", Selector(peer.PodSelector))
        .Set("namespaceSelector", Selector(peer.NamespaceSelector))
        .Set("ipBlock", peer.IpBlock is { } block ? new YamlMap()
            .Set("cidr", block.Cidr.Text)
            .Set("except", block.Except.Count > 0 ? List(block.Except, e => e.Text) : null) : null);

    private static YamlMap NetworkPolicyPort(NetworkPolicyPort port) => new YamlMap()
        .Set("protocol", port.Protocol.ToString())
        .Set("port", port.PortNumber is { } n ? n : port.Port)
        .Set("endPort", port.EndPort);

    private static YamlMap StringMap(IReadOnlyDictionary<string, string> map)
    {
        var result = new YamlMap();
        foreach (var (key, value) in map)
        {
            result.Set(key, value);
        }

        return result;
    }

    private static List<object>? List<T>(IEnumerable<T>? items, Func<T, object> convert) =>
        items?.Select(convert).ToList();
}
