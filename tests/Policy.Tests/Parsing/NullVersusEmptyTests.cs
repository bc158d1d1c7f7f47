using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>
/// Absent or null lists stay null, <c>[]</c> is an empty list and <c>[{}]</c> holds one empty selector:
/// Cilium gives the three different meanings (wildcard, nothing, everything).
/// </summary>
public sealed class NullVersusEmptyTests
{
    [Theory]
    [InlineData("toPorts:\n- ports:\n  - port: \"80\"", null)]
    [InlineData("toEndpoints:\ntoPorts:\n- ports:\n  - port: \"80\"", null)]
    [InlineData("toEndpoints: null\ntoPorts:\n- ports:\n  - port: \"80\"", null)]
    [InlineData("toEndpoints: ~\ntoPorts:\n- ports:\n  - port: \"80\"", null)]
    [InlineData("toEndpoints: []", 0)]
    [InlineData("toEndpoints: [{}]", 1)]
    [InlineData("toEndpoints:\n- {}\n- matchLabels: {app: a}", 2)]
    public void EgressPeerList_NullEmptyOrItems(string snippet, int? count)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress(snippet), "p.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Equal(count, result.Documents[0].Rules[0].Egress![0].ToEndpoints?.Count);
    }

    [Fact]
    public void EmptySelectorInList_IsEmptySelector()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints: [{}]"), "p.yaml");

        var selector = Assert.Single(result.Documents[0].Rules[0].Ingress![0].FromEndpoints!);
        Assert.True(selector.IsEmpty);
        Assert.Empty(selector.MatchLabels);
        Assert.Empty(selector.MatchExpressions);
    }

    [Fact]
    public void SelectorWithNullMatchLabels_IsEmptySelector()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- matchLabels:"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.True(result.Documents[0].Rules[0].Ingress![0].FromEndpoints![0].IsEmpty);
    }

    [Fact]
    public void JsonNullEmptyAndWildcard_Distinguished()
    {
        const string json = "[{\"endpointSelector\": {}, \"ingress\": [" +
            "{\"fromEndpoints\": null, \"toPorts\": [{\"ports\": [{\"port\": \"80\"}]}]}," +
            "{\"fromEndpoints\": []}," +
            "{\"fromEndpoints\": [{}]}]}]";

        var result = PolicyParser.ParseText(json, "p.json");

        DiagnosticAssert.Exactly(result);
        var ingress = result.Documents[0].Rules[0].Ingress!;
        Assert.Null(ingress[0].FromEndpoints);
        Assert.Empty(ingress[1].FromEndpoints!);
        Assert.Single(ingress[2].FromEndpoints!);
    }

    [Theory]
    [InlineData("ingress: [{}]", 1, null)]
    [InlineData("ingress: [{}]\negress: []", 1, 0)]
    [InlineData("egress: [{}]\ningress:", null, 1)]
    public void Sections_NullEmptyOrItems(string sections, int? ingress, int? egress)
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector: {}\n" + sections), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var rule = result.Documents[0].Rules[0];
        Assert.Equal(ingress, rule.Ingress?.Count);
        Assert.Equal(egress, rule.Egress?.Count);
        Assert.Null(rule.IngressDeny);
        Assert.Null(rule.EgressDeny);
    }

    [Fact]
    public void EmptyIngressRule_HasOnlyNullMembers()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector: {}\ningress: [{}]"), "p.yaml");

        var rule = Assert.Single(result.Documents[0].Rules[0].Ingress!);
        Assert.Null(rule.FromEndpoints);
        Assert.Null(rule.FromCIDR);
        Assert.Null(rule.FromCIDRSet);
        Assert.Null(rule.FromEntities);
        Assert.Null(rule.ToPorts);
        Assert.Null(rule.ICMPs);
        Assert.False(rule.IsDeny);
    }

    [Fact]
    public void EmptyRequiresList_Allowed()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromRequires: []\nfromEndpoints: [{}]"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Empty(result.Documents[0].Rules[0].Ingress![0].FromRequires!);
    }

    [Fact]
    public void NonEmptyRequires_RejectedAsRemoved()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromRequires:\n- matchLabels: {env: prod}"), "p.yaml");

        DiagnosticAssert.Exactly(result, ExpectedDiagnostic.Error(9, 5, "spec.ingress[0].fromRequires", "fromRequires was removed in Cilium 1.19"));
    }

    [Fact]
    public void NonEmptyToRequires_RejectedAsRemoved()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toRequires:\n- matchLabels: {env: prod}"), "p.yaml");

        DiagnosticAssert.Exactly(result, ExpectedDiagnostic.Error(9, 5, "spec.egress[0].toRequires", "toRequires was removed in Cilium 1.19"));
    }
}
