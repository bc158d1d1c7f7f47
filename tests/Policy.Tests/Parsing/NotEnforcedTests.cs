using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>
/// Fields DESIGN §3 lists as "not yet" parse, are reported as warnings on their key's line, and are
/// recorded on the document with their rule so the engine can be conservative about that rule.
/// </summary>
public sealed class NotEnforcedTests
{
    [Theory]
    [InlineData("toFQDNs:\n- matchName: api.example.com", 9, 5, "spec.egress[0].toFQDNs", "toFQDNs")]
    [InlineData("toServices:\n- k8sService: {serviceName: db, namespace: shop}", 9, 5, "spec.egress[0].toServices", "toServices")]
    [InlineData("toServices:\n- k8sServiceSelector:\n    selector: {matchLabels: {app: db}}", 9, 5, "spec.egress[0].toServices", "toServices")]
    [InlineData("toGroups:\n- aws: {securityGroupsIds: [sg-1], region: eu-west-1}", 9, 5, "spec.egress[0].toGroups", "toGroups")]
    [InlineData("toNodes:\n- matchLabels: {role: worker}", 9, 5, "spec.egress[0].toNodes", "toNodes")]
    [InlineData("toEndpoints: [{}]\nauthentication:\n  mode: required", 10, 5, "spec.egress[0].authentication", "authentication")]
    [InlineData("toPorts:\n- ports: [{port: \"443\"}]\n  serverNames: [a.example]", 11, 7, "spec.egress[0].toPorts[0].serverNames", "serverNames")]
    [InlineData("toPorts:\n- ports: [{port: \"443\"}]\n  originatingTLS:\n    secret: {name: ca}", 11, 7, "spec.egress[0].toPorts[0].originatingTLS", "originatingTLS")]
    [InlineData("toPorts:\n- ports: [{port: \"80\", protocol: TCP}]\n  rules:\n    http: [{method: GET}]", 12, 9, "spec.egress[0].toPorts[0].rules.http", "rules.http")]
    [InlineData("toPorts:\n- ports: [{port: \"9092\", protocol: TCP}]\n  rules:\n    kafka: [{topic: t}]", 12, 9, "spec.egress[0].toPorts[0].rules.kafka", "rules.kafka")]
    [InlineData("toPorts:\n- ports: [{port: \"53\", protocol: UDP}]\n  rules:\n    dns: [{matchPattern: '*'}]", 12, 9, "spec.egress[0].toPorts[0].rules.dns", "rules.dns")]
    [InlineData("toCIDRSet:\n- cidrGroupRef: office", 10, 7, "spec.egress[0].toCIDRSet[0].cidrGroupRef", "cidrGroupRef")]
    [InlineData("toPorts:\n- ports: [{protocol: IGMP}]", 10, 16, "spec.egress[0].toPorts[0].ports[0].protocol", "protocol IGMP")]
    public void EgressFeature_WarningAndRecorded(string snippet, int line, int column, string path, string feature)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress(snippet), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(line, column, path, $"{feature} is parsed but not enforced"));
        var document = Assert.Single(result.Documents);
        var recorded = Assert.Single(document.NotEnforced);
        Assert.Equal(new NotEnforcedFeature(feature, path, new Diagnostics.SourceLocation("p.yaml", line, column), 0), recorded);
    }

    [Theory]
    [InlineData("fromGroups:\n- aws: {labels: {team: a}}", 9, 5, "spec.ingress[0].fromGroups", "fromGroups")]
    [InlineData("fromNodes:\n- matchLabels: {role: cp}", 9, 5, "spec.ingress[0].fromNodes", "fromNodes")]
    [InlineData("fromEndpoints: [{}]\nauthentication: {mode: test-always-fail}", 10, 5, "spec.ingress[0].authentication", "authentication")]
    [InlineData("toPorts:\n- ports: [{port: \"443\", protocol: TCP}]\n  terminatingTLS:\n    certificate: c\n    privateKey: k", 11, 7, "spec.ingress[0].toPorts[0].terminatingTLS", "terminatingTLS")]
    [InlineData("fromCIDRSet:\n- cidrGroupSelector: {matchLabels: {a: b}}", 10, 7, "spec.ingress[0].fromCIDRSet[0].cidrGroupSelector", "cidrGroupSelector")]
    public void IngressFeature_WarningAndRecorded(string snippet, int line, int column, string path, string feature)
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress(snippet), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(line, column, path, $"{feature} is parsed but not enforced"));
        Assert.Equal(feature, Assert.Single(result.Documents[0].NotEnforced).Feature);
    }

    [Fact]
    public void RuleLog_WarningAndRecorded()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector: {}\nlog:\n  value: audit-me\ningress: [{}]"), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(8, 3, "spec.log", "log is parsed but not enforced"));
        Assert.Equal("audit-me", result.Documents[0].Rules[0].Log!.Value);
    }

    [Fact]
    public void RuleLogTooLong_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector: {}\nlog:\n  value: abcdefghijklmnopqrstuvwxyz0123456789\ningress: [{}]"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(9, 12, "spec.log.value", "at most 32 printable ASCII characters"));
    }

    [Fact]
    public void FeaturesInSeveralRules_RecordTheirRuleIndex()
    {
        const string text =
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\nspecs:\n" +
            "- endpointSelector: {}\n  egress: [{toEndpoints: [{}]}]\n" +
            "- endpointSelector: {}\n  egress:\n  - toFQDNs: [{matchName: a.example}]\n    toPorts:\n    - ports: [{port: \"443\", protocol: TCP}]\n      rules:\n        http: [{}]\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result,
            Warning(10, 5, "specs[1].egress[0].toFQDNs", "toFQDNs is parsed but not enforced"),
            Warning(14, 9, "specs[1].egress[0].toPorts[0].rules.http", "rules.http is parsed but not enforced"));
        Assert.All(result.Documents[0].NotEnforced, f => Assert.Equal(1, f.RuleIndex));
        Assert.Equal(["rules.http", "toFQDNs"], result.Documents[0].NotEnforced.Select(f => f.Feature).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RejectedDocument_NotEnforcedNotReturned()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toFQDNs:\n- matchName: a.example\ntoEndpoints: [{}]"), "p.yaml");

        Assert.True(result.HasErrors);
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void WarningsOnly_DocumentAccepted()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toFQDNs:\n- matchPattern: \"*.example\"\ntoPorts:\n- ports: [{port: \"443\", protocol: TCP}]"), "p.yaml");

        Assert.False(result.HasErrors);
        Assert.Single(result.Warnings);
        Assert.Equal("*.example", result.Documents[0].Rules[0].Egress![0].ToFQDNs![0].MatchPattern);
    }
}
