using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// Kubernetes NetworkPolicy validation as the API server applies it. <see cref="PolicyText.NetworkPolicySpec"/>
/// puts the spec body at line 7, column 3.
/// </summary>
public sealed class KubernetesNetworkPolicyValidationTests
{
    private static PolicyParseResult Parse(string spec) => PolicyParser.ParseText(PolicyText.NetworkPolicySpec(spec), "np.yaml");

    [Theory]
    [InlineData("podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/8\n    podSelector: {}", 10, 7, "spec.ingress[0].from[0].ipBlock", "ipBlock cannot be combined with podSelector or namespaceSelector")]
    [InlineData("podSelector: {}\ningress:\n- from:\n  - {}", 10, 7, "spec.ingress[0].from[0]", "a peer needs podSelector, namespaceSelector or ipBlock")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - protocol: tcp", 10, 17, "spec.egress[0].ports[0].protocol", "protocol 'tcp' is not TCP, UDP or SCTP")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - port: 0", 10, 13, "spec.egress[0].ports[0].port", "port 0 is outside 1..65535")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - port: 70000", 10, 13, "spec.egress[0].ports[0].port", "port 70000 is outside 1..65535")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - port: HTTP", 10, 13, "spec.egress[0].ports[0].port", "'HTTP' is not a port number or a valid port name")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - port: \"80\"", 10, 13, "spec.egress[0].ports[0].port", "a quoted number is a port name in Kubernetes, write the number unquoted")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - endPort: 90", 10, 7, "spec.egress[0].ports[0].endPort", "endPort needs a numeric port")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - port: 90\n    endPort: 80", 11, 7, "spec.egress[0].ports[0].endPort", "endPort 80 is lower than port 90")]
    [InlineData("podSelector: {}\negress:\n- ports:\n  - port: http\n    endPort: 80", 11, 7, "spec.egress[0].ports[0].endPort", "endPort needs a numeric port")]
    [InlineData("podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/8\n      except:\n      - 10.0.0.0/8", 13, 11, "spec.ingress[0].from[0].ipBlock.except", "must be strictly inside cidr 10.0.0.0/8")]
    [InlineData("podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/8\n      except:\n      - 11.0.0.0/16", 13, 11, "spec.ingress[0].from[0].ipBlock.except", "must be strictly inside")]
    [InlineData("podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      except: []", 11, 9, "spec.ingress[0].from[0].ipBlock.cidr", "an ipBlock needs a 'cidr'")]
    [InlineData("podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.1", 11, 15, "spec.ingress[0].from[0].ipBlock.cidr", "the prefix length is missing")]
    [InlineData("podSelector: {}\npolicyTypes:\n- ingress", 9, 5, "spec.policyTypes[0]", "policy type 'ingress' is not Ingress or Egress")]
    [InlineData("policyTypes: [Ingress]", 7, 3, "spec.podSelector", "a NetworkPolicy needs a 'podSelector'")]
    [InlineData("podSelector: {}\ningress:\n- fromm: []", 9, 5, "spec.ingress[0].fromm", "did you mean 'from'?")]
    public void Invalid_ErrorAtField(string spec, int line, int column, string path, string fragment)
    {
        var result = Parse(spec);

        DiagnosticAssert.Exactly(result, Error(line, column, path, fragment));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void MissingSpec_Error()
    {
        var result = PolicyParser.ParseText("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n", "np.yaml");

        DiagnosticAssert.Exactly(result, Error(1, 1, "spec", "a NetworkPolicy needs a 'spec' with a 'podSelector'"));
    }

    [Fact]
    public void FullPolicy_ParsedAsKubernetesDefines()
    {
        var result = Parse(
            "podSelector:\n  matchLabels:\n    app: db\npolicyTypes: [Ingress, Egress]\n" +
            "ingress:\n- from:\n  - namespaceSelector:\n      matchLabels:\n        team: web\n    podSelector:\n      matchLabels:\n        app: api\n" +
            "  - ipBlock:\n      cidr: 192.0.2.0/24\n      except: [192.0.2.128/25]\n  ports:\n  - port: 5432\n  - protocol: UDP\n    port: 8000\n    endPort: 8100\n" +
            "egress:\n- to: []\n  ports:\n  - port: dns\n    protocol: UDP\n- {}");

        DiagnosticAssert.Exactly(result);
        var document = Assert.Single(result.Documents);
        Assert.Equal(PolicyKind.KubernetesNetworkPolicy, document.Kind);
        Assert.Equal(("np", "shop"), (document.Name, document.Namespace));
        Assert.Empty(document.Rules);
        var policy = document.Kubernetes!;
        Assert.Equal("db", policy.PodSelector.MatchLabels["app"]);
        Assert.Equal([NetworkPolicyType.Ingress, NetworkPolicyType.Egress], policy.PolicyTypes);
        var ingress = Assert.Single(policy.Ingress!);
        Assert.Equal("web", ingress.From![0].NamespaceSelector!.MatchLabels["team"]);
        Assert.Equal("api", ingress.From[0].PodSelector!.MatchLabels["app"]);
        Assert.Null(ingress.From[0].IpBlock);
        Assert.Equal("192.0.2.0/24", ingress.From[1].IpBlock!.Cidr.Network.ToString());
        Assert.Equal("192.0.2.128/25", ingress.From[1].IpBlock!.Except[0].Network.ToString());
        Assert.Equal((L4Protocol.TCP, "5432", (int?)null), (ingress.Ports![0].Protocol, ingress.Ports[0].Port, ingress.Ports[0].EndPort));
        Assert.Equal((L4Protocol.UDP, 8000, (int?)8100), (ingress.Ports[1].Protocol, ingress.Ports[1].PortNumber, ingress.Ports[1].EndPort));
        Assert.Equal(2, policy.Egress!.Count);
        Assert.Empty(policy.Egress[0].To!);
        Assert.Equal("dns", policy.Egress[0].Ports![0].Port);
        Assert.Null(policy.Egress[1].To);
        Assert.Null(policy.Egress[1].Ports);
    }

    [Fact]
    public void AbsentPolicyTypesAndSections_StayNull()
    {
        var result = Parse("podSelector: {}");

        DiagnosticAssert.Exactly(result);
        var policy = result.Documents[0].Kubernetes!;
        Assert.True(policy.PodSelector.IsEmpty);
        Assert.Null(policy.PolicyTypes);
        Assert.Null(policy.Ingress);
        Assert.Null(policy.Egress);
    }

    [Fact]
    public void EmptyIngressList_IsEmptyNotNull()
    {
        var result = Parse("podSelector: {}\ningress: []\npolicyTypes: [Ingress]");

        Assert.Empty(result.Documents[0].Kubernetes!.Ingress!);
    }

    [Fact]
    public void WrongApiVersion_Error()
    {
        var result = PolicyParser.ParseText("apiVersion: networking.k8s.io/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  podSelector: {}\n", "np.yaml");

        DiagnosticAssert.Exactly(result, Error(1, 13, "apiVersion", "apiVersion 'networking.k8s.io/v1beta1' is not supported for this kind; expected networking.k8s.io/v1"));
    }

    [Fact]
    public void OtherGroupsNetworkPolicy_Skipped()
    {
        var result = PolicyParser.ParseText("apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  selector: all()\n", "np.yaml");

        DiagnosticAssert.Exactly(result, Note(2, 1, string.Empty, "skipped NetworkPolicy (projectcalico.org/v3): not a network policy"));
        Assert.Empty(result.Documents);
    }
}
