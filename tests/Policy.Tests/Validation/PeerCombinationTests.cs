using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// One peer kind per rule (Cilium's rule sanitisation: "Combining X and Y is not supported yet"). The
/// snippets put the first peer on line 9 and the second on line 11, column 5; the error names both and sits
/// on the second key.
/// </summary>
public sealed class PeerCombinationTests
{
    [Theory]
    [InlineData("toEndpoints", "{}", "toCIDR", "10.0.0.0/8")]
    [InlineData("toCIDR", "10.0.0.0/8", "toCIDRSet", "{cidr: 10.0.0.0/8}")]
    [InlineData("toEntities", "world", "toEndpoints", "{}")]
    [InlineData("toEndpoints", "{}", "toFQDNs", "{matchName: example.com}")]
    [InlineData("toCIDR", "10.0.0.0/8", "toServices", "{k8sService: {serviceName: s}}")]
    [InlineData("toEntities", "host", "toNodes", "{}")]
    [InlineData("toCIDRSet", "{cidr: 10.0.0.0/8}", "toGroups", "{aws: {region: eu-west-1}}")]
    [InlineData("toFQDNs", "{matchPattern: '*.example.com'}", "toCIDR", "192.0.2.0/24")]
    [InlineData("toServices", "{k8sService: {serviceName: s}}", "toEntities", "world")]
    public void Egress_TwoPeerKinds_ErrorOnSecondKey(string first, string firstValue, string second, string secondValue)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"{first}:\n- {firstValue}\n{second}:\n- {secondValue}"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(11, 5, $"spec.egress[0].{second}", $"combining {first} and {second}"));
        Assert.Empty(result.Documents);
    }

    [Theory]
    [InlineData("fromEndpoints", "{}", "fromCIDR", "10.0.0.0/8")]
    [InlineData("fromCIDRSet", "{cidr: 10.0.0.0/8}", "fromEntities", "world")]
    [InlineData("fromNodes", "{}", "fromEndpoints", "{}")]
    [InlineData("fromGroups", "{aws: {region: r}}", "fromCIDR", "10.0.0.0/8")]
    [InlineData("fromEntities", "cluster", "fromCIDRSet", "{cidr: 0.0.0.0/0}")]
    public void Ingress_TwoPeerKinds_ErrorOnSecondKey(string first, string firstValue, string second, string secondValue)
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress($"{first}:\n- {firstValue}\n{second}:\n- {secondValue}"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(11, 5, $"spec.ingress[0].{second}", $"combining {first} and {second}"));
    }

    [Fact]
    public void IngressDeny_TwoPeerKinds_Rejected()
    {
        var result = PolicyParser.ParseText(PolicyText.Section("ingressDeny", "fromEntities:\n- world\nfromCIDR:\n- 10.0.0.0/8"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(11, 5, "spec.ingressDeny[0].fromCIDR", "combining fromEntities and fromCIDR"));
    }

    [Fact]
    public void ThreePeerKinds_OneErrorPerExtraKind()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toEndpoints:\n- {}\ntoCIDR:\n- 10.0.0.0/8\ntoEntities:\n- world"), "p.yaml");

        DiagnosticAssert.Errors(result,
            Error(11, 5, "spec.egress[0].toCIDR", "combining toEndpoints and toCIDR"),
            Error(13, 5, "spec.egress[0].toEntities", "combining toEndpoints and toEntities"));
    }

    [Theory]
    [InlineData("toEndpoints: []\ntoCIDR:\n- 10.0.0.0/8")]
    [InlineData("toCIDR:\n- 10.0.0.0/8\ntoEntities: []")]
    [InlineData("toEndpoints:\n- {}\ntoPorts:\n- ports:\n  - port: \"80\"")]
    [InlineData("toCIDRSet:\n- cidr: 10.0.0.0/8\ntoPorts:\n- ports:\n  - port: \"443\"\n    protocol: TCP")]
    [InlineData("toEntities:\n- world\nicmps:\n- fields:\n  - type: 8")]
    public void OnePeerKind_OrEmptyOtherList_Accepted(string snippet)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress(snippet), "p.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Single(result.Documents);
    }

    [Fact]
    public void IcmpsAfterToPorts_ErrorOnIcmpsKey()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("toPorts:\n- ports:\n  - port: \"80\"\nicmps:\n- fields:\n  - type: 8"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(12, 5, "spec.ingress[0].icmps", "icmps and toPorts cannot be in the same rule"));
    }

    [Fact]
    public void ToPortsAfterIcmps_ErrorOnToPortsKey()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("icmps:\n- fields:\n  - type: 8\ntoPorts:\n- ports:\n  - port: \"80\""), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(12, 5, "spec.egress[0].toPorts", "icmps and toPorts cannot be in the same rule"));
    }

    [Fact]
    public void EmptyIcmpsBesideToPorts_Accepted()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("icmps: []\ntoPorts:\n- ports:\n  - port: \"80\""), "p.yaml");

        DiagnosticAssert.Exactly(result);
    }
}
