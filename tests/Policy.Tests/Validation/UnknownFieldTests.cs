using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>Unknown fields are errors at the key, naming it and the closest known field.</summary>
public sealed class UnknownFieldTests
{
    [Theory]
    [InlineData("toPort:\n- ports: []", 9, 5, "spec.egress[0].toPort", "unknown field 'toPort' in an egress rule; did you mean 'toPorts'?")]
    [InlineData("toEndpoint:\n- {}", 9, 5, "spec.egress[0].toEndpoint", "did you mean 'toEndpoints'?")]
    [InlineData("toFQDN:\n- matchName: a.com", 9, 5, "spec.egress[0].toFQDN", "did you mean 'toFQDNs'?")]
    [InlineData("auth:\n  mode: required", 9, 5, "spec.egress[0].auth", "did you mean 'authentication'?")]
    [InlineData("toEndpoints:\n- matchLabel:\n    app: a", 10, 7, "spec.egress[0].toEndpoints[0].matchLabel", "unknown field 'matchLabel' in a label selector; did you mean 'matchLabels'?")]
    [InlineData("toPorts:\n- ports:\n  - port: \"80\"\n    protocl: TCP", 12, 9, "spec.egress[0].toPorts[0].ports[0].protocl", "did you mean 'protocol'?")]
    [InlineData("toPorts:\n- port:\n  - port: \"80\"", 10, 7, "spec.egress[0].toPorts[0].port", "did you mean 'ports'?")]
    [InlineData("xyzzy: 1", 9, 5, "spec.egress[0].xyzzy", "known fields here: toEndpoints, toRequires")]
    [InlineData("ToPorts:\n- ports: []", 9, 5, "spec.egress[0].ToPorts", "did you mean 'toPorts'? (field names are case-sensitive")]
    [InlineData("icmps:\n- fields:\n  - type: 8\n    famliy: IPv4", 12, 9, "spec.egress[0].icmps[0].fields[0].famliy", "did you mean 'family'?")]
    [InlineData("toCIDRSet:\n- cidr: 10.0.0.0/8\n  exept: []", 11, 7, "spec.egress[0].toCIDRSet[0].exept", "did you mean 'except'?")]
    public void UnknownField_ErrorWithSuggestion(string snippet, int line, int column, string path, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress(snippet), "p.yaml");

        DiagnosticAssert.Errors(result, Error(line, column, path, fragment));
        Assert.Empty(result.Documents);
    }

    [Theory]
    [InlineData("egressDeny", "toFQDNs:\n- matchName: a.com", "spec.egressDeny[0].toFQDNs", "unknown field 'toFQDNs' in an egressDeny rule")]
    [InlineData("ingressDeny", "authentication:\n  mode: required", "spec.ingressDeny[0].authentication", "unknown field 'authentication' in an ingressDeny rule")]
    [InlineData("egressDeny", "authentication:\n  mode: required", "spec.egressDeny[0].authentication", "unknown field 'authentication' in an egressDeny rule")]
    public void DenyRules_HaveNoL7OrFqdnOrAuthentication(string section, string snippet, string path, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Section(section, snippet), "p.yaml");

        DiagnosticAssert.Errors(result, Error(9, 5, path, fragment));
    }

    [Fact]
    public void DenyPortRule_HasOnlyPorts()
    {
        var result = PolicyParser.ParseText(PolicyText.Section("egressDeny", "toPorts:\n- ports:\n  - port: \"53\"\n  rules:\n    dns: []"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(12, 7, "spec.egressDeny[0].toPorts[0].rules", "unknown field 'rules' in a deny port rule; known fields here: ports"));
    }

    [Fact]
    public void LabelBesideEmptyMatchLabels_HintToIndent()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- matchLabels:\n  role: frontend"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(11, 7, "spec.ingress[0].fromEndpoints[0].role", "unknown field 'role' in a label selector; 'matchLabels' is empty here; indent 'role' under it"));
    }

    [Fact]
    public void TopLevelDescription_UnknownEnvelopeField()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\ndescription: x\nmetadata:\n  name: p\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(3, 1, "description", "unknown field 'description' in a CiliumNetworkPolicy; 'description' is a rule field: move it under 'spec'"));
    }

    [Fact]
    public void MetadataUnknownField_Error()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n  nmespace: x\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(5, 3, "metadata.nmespace", "did you mean 'namespace'?"));
    }

    [Fact]
    public void ObjectMetaFieldsFromKubectl_Accepted()
    {
        const string text =
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n  uid: 1f\n  resourceVersion: \"42\"\n  generation: 3\n" +
            "  annotations:\n    note: x\nspec:\n  endpointSelector: {}\n  ingress: [{}]\nstatus:\n  conditions: []\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result);
    }

    [Fact]
    public void RuleListCaseVariant_AcceptedWithWarning()
    {
        var result = PolicyParser.ParseText("[{\"EndpointSelector\": {}, \"ingress\": [{}]}]", "api.json");

        DiagnosticAssert.Exactly(result, Warning(1, 3, "[0].endpointSelector", "field 'EndpointSelector' is read as 'endpointSelector'"));
        Assert.NotNull(Assert.Single(result.Documents).Rules[0].EndpointSelector);
    }

    [Fact]
    public void RuleListUnknownField_Error()
    {
        var result = PolicyParser.ParseText("[{\"endpointSelector\": {}, \"ingres\": [{}]}]", "api.json");

        DiagnosticAssert.Exactly(result,
            Error(1, 27, "[0].ingres", "did you mean 'ingress'?"),
            Error(1, 2, "[0]", "a rule needs at least one of"));
    }

    [Fact]
    public void CaseVariantAndExactName_Duplicate()
    {
        var result = PolicyParser.ParseText("[{\"endpointSelector\": {}, \"EndpointSelector\": {}, \"ingress\": [{}]}]", "api.json");

        DiagnosticAssert.Exactly(result, Error(1, 27, "[0].endpointSelector", "field 'endpointSelector' is given twice"));
    }
}
