using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>
/// parse → <see cref="PolicyWriter.ToYaml"/> → parse gives the same policy: the second serialisation is
/// byte-identical to the first, and the model keeps every distinction (null vs [] vs [{}]).
/// </summary>
public sealed class PolicyWriterRoundTripTests
{
    public static TheoryData<string, string> Examples => new()
    {
        {
            "cnp-everything.yaml",
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: shop-api\n  namespace: shop\n  labels: {team: web}\n" +
            "spec:\n  endpointSelector:\n    matchLabels: {app: api, 'k8s:tier': backend}\n    matchExpressions:\n    - {key: env, operator: In, values: [prod, staging]}\n    - {key: canary, operator: DoesNotExist}\n" +
            "  description: \"quotes \\\" and: colons, # hashes, 'single', unicode é ✓, newline\\n\"\n" +
            "  labels:\n  - {key: owner, value: team-a, source: k8s}\n  enableDefaultDeny: {ingress: true}\n  log: {value: api-log}\n" +
            "  ingress:\n  - fromEndpoints: [{matchLabels: {app: web}}, {}]\n    toPorts:\n    - ports: [{port: \"8080\", protocol: TCP}, {port: \"9000\", endPort: 9100, protocol: TCP}]\n      rules:\n        http:\n        - {method: GET, path: /v1/.*, host: api.example, headers: ['X-A: 1'], headerMatches: [{name: X-B, value: v, mismatch: REPLACE, secret: {namespace: s, name: n}}]}\n" +
            "  - fromCIDR: [10.1.2.3/8, 192.0.2.1]\n  - fromCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}, {cidrGroupRef: office}, {cidrGroupSelector: {matchLabels: {a: b}}}]\n" +
            "  - fromEntities: [world, remote-node, kube-apiserver]\n    icmps: [{fields: [{type: 8}, {type: EchoRequest, family: IPv6}]}]\n  - fromNodes: [{matchLabels: {role: cp}}]\n  - fromGroups: [{aws: {labels: {a: b}, securityGroupsIds: [sg], securityGroupsNames: [n], region: r}}]\n" +
            "  - fromEndpoints: []\n    authentication: {mode: required}\n  - {}\n" +
            "  ingressDeny:\n  - fromEntities: [world]\n    toPorts: [{ports: [{port: \"22\", protocol: TCP}]}]\n" +
            "  egress:\n  - toFQDNs: [{matchName: a.example}, {matchPattern: '*.b.example'}]\n    toPorts:\n    - ports: [{port: \"443\", protocol: TCP}]\n      serverNames: [a.example]\n      terminatingTLS: {secret: {name: t}, trustedCA: ca, certificate: c, privateKey: k}\n      originatingTLS: {secret: {namespace: o, name: o}}\n" +
            "  - toEndpoints: [{matchLabels: {'k8s:io.kubernetes.pod.namespace': kube-system, k8s-app: kube-dns}}]\n    toPorts:\n    - ports: [{port: \"53\", protocol: ANY}]\n      rules: {dns: [{matchPattern: '*'}]}\n" +
            "  - toServices: [{k8sService: {serviceName: db, namespace: shop}}, {k8sServiceSelector: {selector: {matchLabels: {a: b}}, namespace: n}}, {}]\n" +
            "  - toPorts:\n    - ports: [{port: \"9092\", protocol: TCP}]\n      rules: {kafka: [{role: produce, topic: t, clientID: c}, {apiKey: metadata, apiVersion: \"1\"}]}\n" +
            "  - toPorts:\n    - ports: [{port: \"80\", protocol: TCP}]\n      listener: {envoyConfig: {kind: CiliumEnvoyConfig, name: cec}, name: l, priority: 5}\n" +
            "  - toPorts:\n    - ports: [{port: \"7000\", protocol: TCP}]\n      rules: {l7proto: r2d2, l7: [{cmd: READ}, {}]}\n" +
            "  - toGroups: [{aws: {region: r}}]\n  - toNodes: [{}]\n  - toPorts: [{ports: [{protocol: VRRP}]}]\n  - toEntities: []\n" +
            "  egressDeny:\n  - toCIDRSet: [{cidr: \"2001:db8::/32\", except: [\"2001:db8:1::/48\"]}]\n    icmps: [{fields: [{type: PacketTooBig, family: IPv6}]}]\n"
        },
        {
            "ccnp-specs.yaml",
            "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: host}\n" +
            "specs:\n- nodeSelector: {matchLabels: {role: worker}}\n  ingress: [{fromEntities: [cluster]}]\n- endpointSelector: {}\n  egress: [{}]\n  ingressDeny: []\n  enableDefaultDeny: {ingress: false, egress: false}\n"
        },
        {
            "cnp-spec-and-specs.yaml",
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: both, namespace: n}\n" +
            "spec: {endpointSelector: {}, ingress: [{}]}\nspecs:\n- endpointSelector: {matchLabels: {a: b}}\n  egress: [{toEndpoints: [{}]}]\n"
        },
        {
            "np.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: shop}\n" +
            "spec:\n  podSelector: {matchLabels: {app: db}}\n  policyTypes: [Ingress, Egress]\n" +
            "  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n      podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [x]}]}\n    - ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.128/25]}\n    ports:\n    - {port: 5432}\n    - {protocol: UDP, port: 8000, endPort: 8100}\n    - {protocol: SCTP, port: named}\n  - {}\n" +
            "  egress:\n  - to: []\n"
        },
        {
            "rules.json",
            "[{\"endpointSelector\": {\"matchLabels\": {\"app\": \"a\"}}, \"ingress\": [{\"fromEndpoints\": [{}]}], \"egress\": [{\"toCIDR\": [\"0.0.0.0/0\"]}]}, {\"nodeSelector\": {}, \"ingress\": [{\"fromEntities\": [\"health\"]}]}]"
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void ParseWriteParse_Stable(string name, string text)
    {
        var first = PolicyParser.ParseText(text, name);
        DiagnosticAssert.Accepted(first);
        var written = first.Documents.Select(PolicyWriter.ToYaml).ToList();

        var second = first.Documents.Zip(written).Select(pair =>
        {
            var reparsed = PolicyParser.ParseText(pair.Second, name.Replace(".json", ".yaml", StringComparison.Ordinal));
            DiagnosticAssert.Accepted(reparsed);
            return Assert.Single(reparsed.Documents);
        }).ToList();

        Assert.Equal(written, second.Select(PolicyWriter.ToYaml));
        for (var i = 0; i < second.Count; i++)
        {
            AssertSameShape(first.Documents[i], second[i]);
        }
    }

    [Fact]
    public void WrittenYaml_PreservesNullEmptyAndWildcardLists()
    {
        var text = PolicyText.Spec("endpointSelector: {}\ningress:\n- fromEndpoints: []\n- fromEndpoints: [{}]\n- toPorts: [{ports: [{port: \"80\"}]}]\negress: []\ningressDeny:\n- {}");
        var document = PolicyParser.ParseText(text, "p.yaml").Documents.Single();

        var reparsed = PolicyParser.ParseText(PolicyWriter.ToYaml(document), "p.yaml").Documents.Single();

        var rule = reparsed.Rules[0];
        Assert.Empty(rule.Ingress![0].FromEndpoints!);
        Assert.True(Assert.Single(rule.Ingress[1].FromEndpoints!).IsEmpty);
        Assert.Null(rule.Ingress[2].FromEndpoints);
        Assert.Empty(rule.Egress!);
        Assert.Null(rule.EgressDeny);
        Assert.Single(rule.IngressDeny!);
    }

    [Fact]
    public void WrittenYaml_KeepsSpecAndSpecsPaths()
    {
        var document = PolicyParser.ParseText((string)Examples.Skip(2).First()[1], "b.yaml").Documents.Single();

        var reparsed = PolicyParser.ParseText(PolicyWriter.ToYaml(document), "b.yaml").Documents.Single();

        Assert.Equal(["spec", "specs[0]"], reparsed.Rules.Select(r => r.FieldPath));
    }

    [Fact]
    public void WrittenYaml_StringsThatLookLikeOtherTypesStayStrings()
    {
        var text = PolicyText.Spec("endpointSelector:\n  matchLabels: {'true': 'null', '0x1': '1e3', '~': 'yes', ': x': '- y', '#': '[a]'}\ningress: [{}]");
        var document = PolicyParser.ParseText(text, "p.yaml").Documents.Single();

        var reparsed = PolicyParser.ParseText(PolicyWriter.ToYaml(document), "p.yaml").Documents.Single();

        Assert.Equal(document.Rules[0].EndpointSelector!.MatchLabels, reparsed.Rules[0].EndpointSelector!.MatchLabels);
        Assert.Equal("null", reparsed.Rules[0].EndpointSelector!.MatchLabels["true"]);
    }

    [Fact]
    public void NumbersWrittenAsNumbers_NamesAsStrings()
    {
        var document = PolicyParser.ParseText(PolicyText.Egress("icmps: [{fields: [{type: 8}, {type: EchoReply, family: IPv6}]}]"), "p.yaml").Documents.Single();

        var yaml = PolicyWriter.ToYaml(document);

        Assert.Contains("\"type\": 8\n", yaml, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"EchoReply\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleList_WrittenAsTopLevelList()
    {
        var document = PolicyParser.ParseText("[{\"endpointSelector\": {}, \"ingress\": [{}]}]", "r.json").Documents.Single();

        var yaml = PolicyWriter.ToYaml(document);

        Assert.StartsWith("- ", yaml, StringComparison.Ordinal);
        Assert.Equal(PolicyKind.RuleList, PolicyParser.ParseText(yaml, "r.yaml").Documents.Single().Kind);
    }

    private static void AssertSameShape(PolicyDocument expected, PolicyDocument actual)
    {
        Assert.Equal((expected.Kind, expected.Namespace), (actual.Kind, actual.Namespace));
        if (expected.Kind != PolicyKind.RuleList)
        {
            Assert.Equal(expected.Name, actual.Name);
        }

        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Rules.Count, actual.Rules.Count);
        Assert.Equal(expected.NotEnforced.Select(f => (f.Feature, f.FieldPath, f.RuleIndex)), actual.NotEnforced.Select(f => (f.Feature, f.FieldPath, f.RuleIndex)));
        for (var i = 0; i < expected.Rules.Count; i++)
        {
            var (e, a) = (expected.Rules[i], actual.Rules[i]);
            Assert.Equal(e.FieldPath, a.FieldPath);
            Assert.Equal(e.Ingress?.Count, a.Ingress?.Count);
            Assert.Equal(e.IngressDeny?.Count, a.IngressDeny?.Count);
            Assert.Equal(e.Egress?.Count, a.Egress?.Count);
            Assert.Equal(e.EgressDeny?.Count, a.EgressDeny?.Count);
            Assert.Equal(e.EndpointSelector?.MatchLabels, a.EndpointSelector?.MatchLabels);
            Assert.Equal(e.Description, a.Description);
            for (var j = 0; j < (e.Ingress?.Count ?? 0); j++)
            {
                Assert.Equal(e.Ingress![j].FromEndpoints?.Count, a.Ingress![j].FromEndpoints?.Count);
                Assert.Equal(e.Ingress[j].FromCIDR?.Select(c => c.Network), a.Ingress[j].FromCIDR?.Select(c => c.Network));
                Assert.Equal(e.Ingress[j].FromEntities?.Select(c => c.Entity), a.Ingress[j].FromEntities?.Select(c => c.Entity));
                Assert.Equal(e.Ingress[j].ICMPs?.SelectMany(r => r.Fields).Select(f => (f.Family, f.Type)), a.Ingress[j].ICMPs?.SelectMany(r => r.Fields).Select(f => (f.Family, f.Type)));
                Assert.Equal(e.Ingress[j].ToPorts?.SelectMany(r => r.Ports).Select(p => (p.Port, p.EndPort, p.Protocol)), a.Ingress[j].ToPorts?.SelectMany(r => r.Ports).Select(p => (p.Port, p.EndPort, p.Protocol)));
            }
        }
    }
}
