using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>Values of the wrong shape are errors at the value, saying what was expected and what was found.</summary>
public sealed class WrongTypeTests
{
    [Theory]
    [InlineData("toEndpoints: app", 9, 18, "spec.egress[0].toEndpoints", "expected a list, found a string 'app'")]
    [InlineData("toEndpoints: {matchLabels: {a: b}}", 9, 18, "spec.egress[0].toEndpoints", "expected a list, found a mapping")]
    [InlineData("toEndpoints:\n- app", 10, 7, "spec.egress[0].toEndpoints[0]", "expected a label selector (a mapping), found a string")]
    [InlineData("toCIDR:\n- [10.0.0.0/8]", 10, 7, "spec.egress[0].toCIDR[0]", "expected a string, found a list")]
    [InlineData("toCIDRSet:\n- 10.0.0.0/8", 10, 7, "spec.egress[0].toCIDRSet[0]", "expected a CIDR rule (a mapping), found a string")]
    [InlineData("toPorts:\n- ports:\n  - port: {a: 1}", 11, 15, "spec.egress[0].toPorts[0].ports[0].port", "expected a string, found a mapping")]
    [InlineData("toPorts:\n- \"80\"", 10, 7, "spec.egress[0].toPorts[0]", "expected a port rule (a mapping), found a string")]
    [InlineData("icmps:\n- 8", 10, 7, "spec.egress[0].icmps[0]", "expected an ICMP rule (a mapping), found a string")]
    [InlineData("toEndpoints:\n- matchLabels:\n    app: [a]", 11, 14, "spec.egress[0].toEndpoints[0].matchLabels[app]", "expected a string, found a list")]
    public void EgressWrongShape_Error(string snippet, int line, int column, string path, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress(snippet), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(line, column, path, fragment));
        Assert.Empty(result.Documents);
    }

    [Theory]
    [InlineData("endpointSelector: []\ningress:\n- {}", 7, 21, "spec.endpointSelector", "expected a label selector (a mapping), found a list")]
    [InlineData("endpointSelector: app=web\ningress:\n- {}", 7, 21, "spec.endpointSelector", "found a string 'app=web'")]
    [InlineData("endpointSelector: {}\nenableDefaultDeny:\n  ingress: yes\ningress:\n- {}", 9, 14, "spec.enableDefaultDeny.ingress", "expected true or false, found a string 'yes'")]
    [InlineData("endpointSelector: {}\nenableDefaultDeny:\n  ingress: \"true\"\ningress:\n- {}", 9, 14, "spec.enableDefaultDeny.ingress", "expected true or false, found a string 'true'")]
    [InlineData("endpointSelector: {}\nenableDefaultDeny: true\ningress:\n- {}", 8, 22, "spec.enableDefaultDeny", "expected enableDefaultDeny (a mapping), found a string 'true'")]
    [InlineData("endpointSelector: {}\ndescription: [a]\ningress:\n- {}", 8, 16, "spec.description", "expected a string, found a list")]
    [InlineData("endpointSelector:\n  matchLabels: [a]\ningress:\n- {}", 8, 18, "spec.endpointSelector.matchLabels", "expected a mapping of strings, found a list")]
    [InlineData("endpointSelector: {}\ningress:\n  fromEntities: [world]", 9, 5, "spec.ingress", "expected a list, found a mapping")]
    [InlineData("endpointSelector: {}\nlabels:\n- key: k\n  value: [v]\ningress:\n- {}", 10, 12, "spec.labels[0].value", "expected a string, found a list")]
    [InlineData("endpointSelector: {}\nlabels: {team: a}\ningress:\n- {}", 8, 11, "spec.labels", "expected a list, found a mapping")]
    public void RuleWrongShape_Error(string snippet, int line, int column, string path, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Spec(snippet), "p.yaml");

        DiagnosticAssert.Errors(result, Error(line, column, path, fragment));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void SpecIsAList_WrongType()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\nspec:\n- endpointSelector: {}\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(6, 1, "spec", "expected a rule (a mapping), found a list"));
    }

    [Fact]
    public void SpecsIsAMapping_WrongType()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\nspecs:\n  endpointSelector: {}\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(6, 3, "specs", "expected a list, found a mapping"));
    }

    [Fact]
    public void MetadataNameMissing_Error()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  namespace: a\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(4, 3, "metadata.name", "the policy needs metadata.name"));
    }

    [Fact]
    public void JsonNumberWhereStringExpected_Accepted()
    {
        var result = PolicyParser.ParseText("[{\"endpointSelector\": {}, \"egress\": [{\"toPorts\": [{\"ports\": [{\"port\": 443, \"protocol\": \"TCP\"}]}]}]}]", "api.json");

        DiagnosticAssert.Exactly(result);
        Assert.Equal("443", result.Documents[0].Rules[0].Egress![0].ToPorts![0].Ports[0].Port);
    }

    [Fact]
    public void JsonStringWhereIntegerExpected_WrongType()
    {
        var result = PolicyParser.ParseText("[{\"endpointSelector\": {}, \"egress\": [{\"toPorts\": [{\"ports\": [{\"port\": \"80\", \"endPort\": \"90\"}]}]}]}]", "api.json");

        DiagnosticAssert.Exactly(result, Error(1, 88, "[0].egress[0].toPorts[0].ports[0].endPort", "expected an integer, found a string '90'"));
    }
}
