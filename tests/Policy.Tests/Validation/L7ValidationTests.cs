using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// L7, TLS and listener constraints Cilium enforces on port rules (its PortRule and L7Rules sanitisation),
/// checked even though these parts are not enforced. Snippets: line 9 <c>toPorts:</c>, 10 <c>- ports:</c>,
/// 11 <c>  - port: …</c> (key at 9), 12 <c>    protocol: …</c> (key at 9), 13 <c>  rules:</c> (key at 7),
/// 14 the L7 kind key (column 9).
/// </summary>
public sealed class L7ValidationTests
{
    private const string Port = "spec.egress[0].toPorts[0]";

    private static PolicyParseResult Egress(string snippet) => PolicyParser.ParseText(PolicyText.Egress(snippet), "p.yaml");

    [Fact]
    public void DnsRulesOnIngress_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress(
            "toPorts:\n- ports:\n  - port: \"53\"\n    protocol: UDP\n  rules:\n    dns:\n    - matchPattern: \"*\""), "p.yaml");

        DiagnosticAssert.Errors(result, Error(14, 9, "spec.ingress[0].toPorts[0].rules.dns", "DNS rules are not allowed on ingress"));
    }

    [Fact]
    public void DnsRulesOnEgress_AcceptedAsNotEnforced()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"53\"\n    protocol: ANY\n  rules:\n    dns:\n    - matchPattern: \"*\"");

        DiagnosticAssert.Exactly(result, Warning(14, 9, $"{Port}.rules.dns", "rules.dns is parsed but not enforced"));
        Assert.Equal("*", result.Documents[0].Rules[0].Egress![0].ToPorts![0].Rules!.Dns![0].MatchPattern);
    }

    [Fact]
    public void TwoL7Kinds_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n    protocol: TCP\n  rules:\n    http:\n    - path: /\n    kafka:\n    - topic: t");

        DiagnosticAssert.Errors(result, Error(13, 7, $"{Port}.rules", "only one kind of L7 rules"));
    }

    [Fact]
    public void HttpOnUdp_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n    protocol: UDP\n  rules:\n    http:\n    - method: GET");

        DiagnosticAssert.Errors(result, Error(12, 9, $"{Port}.ports[0].protocol", "L7 rules other than DNS apply to TCP only, not UDP"));
    }

    [Fact]
    public void HttpWithoutProtocol_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n  rules:\n    http:\n    - method: GET");

        DiagnosticAssert.Errors(result, Error(11, 9, $"{Port}.ports[0].protocol", "apply to TCP only, not ANY"));
    }

    [Fact]
    public void HttpOnPortZero_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"0\"\n    protocol: TCP\n  rules:\n    http:\n    - method: GET");

        DiagnosticAssert.Errors(result, Error(11, 9, $"{Port}.ports[0].port", "L7 rules cannot be used with port 0"));
    }

    [Fact]
    public void DnsWithoutPorts_Error()
    {
        var result = Egress("toPorts:\n- rules:\n    dns:\n    - matchName: example.com");

        DiagnosticAssert.Errors(result, Error(11, 9, $"{Port}.rules.dns", "DNS rules need an explicit port (53)"));
    }

    [Fact]
    public void DnsWithPortRange_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"53\"\n    endPort: 54\n  rules:\n    dns:\n    - matchName: example.com");

        DiagnosticAssert.Errors(result, Error(12, 9, $"{Port}.ports[0].endPort", "DNS rules do not support port ranges"));
    }

    [Fact]
    public void GenericL7WithoutProtocolName_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"9000\"\n    protocol: TCP\n  rules:\n    l7:\n    - {action: get}");

        DiagnosticAssert.Errors(result, Error(14, 9, $"{Port}.rules.l7", "'l7' needs 'l7proto'"));
    }

    [Fact]
    public void GenericL7WithProtocolName_AcceptedAsNotEnforced()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"9000\"\n    protocol: TCP\n  rules:\n    l7proto: r2d2\n    l7:\n    - {cmd: READ}");

        DiagnosticAssert.Exactly(result, Warning(14, 9, $"{Port}.rules.l7proto", "rules.l7proto is parsed but not enforced"));
        var rules = result.Documents[0].Rules[0].Egress![0].ToPorts![0].Rules!;
        Assert.Equal("r2d2", rules.L7Proto);
        Assert.Equal("READ", rules.L7![0]["cmd"]);
    }

    [Fact]
    public void ListenerOnIngress_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress(
            "toPorts:\n- ports:\n  - port: \"80\"\n  listener:\n    envoyConfig:\n      kind: CiliumEnvoyConfig\n      name: cec\n    name: l"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(12, 7, "spec.ingress[0].toPorts[0].listener", "listener is only allowed on egress"));
    }

    [Fact]
    public void ListenerWithHttp_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n    protocol: TCP\n  listener:\n    envoyConfig:\n      kind: CiliumEnvoyConfig\n      name: cec\n    name: l\n  rules:\n    http: [{}]");

        DiagnosticAssert.Errors(result, Error(13, 7, $"{Port}.listener", "listener cannot be combined with L7 rules"));
    }

    [Fact]
    public void ListenerWithBadKind_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n  listener:\n    envoyConfig:\n      kind: EnvoyConfig\n      name: cec\n    name: l");

        DiagnosticAssert.Errors(result, Error(14, 17, $"{Port}.listener.envoyConfig.kind", "must be CiliumEnvoyConfig or CiliumClusterwideEnvoyConfig"));
    }

    [Fact]
    public void ListenerAccepted_FieldsParsed()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n  listener:\n    envoyConfig:\n      kind: CiliumClusterwideEnvoyConfig\n      name: cec\n    name: l\n    priority: 7");

        DiagnosticAssert.Exactly(result, Warning(12, 7, $"{Port}.listener", "listener is parsed but not enforced"));
        var listener = result.Documents[0].Rules[0].Egress![0].ToPorts![0].Listener!;
        Assert.Equal(("CiliumClusterwideEnvoyConfig", "cec", "l", 7), (listener.EnvoyConfigKind, listener.EnvoyConfigName, listener.Name, listener.Priority));
    }

    [Fact]
    public void EmptyServerName_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"443\"\n  serverNames:\n  - \"\"");

        DiagnosticAssert.Errors(result, Error(12, 7, $"{Port}.serverNames", "empty server names are not allowed"));
    }

    [Fact]
    public void ServerNamesWithHttpWithoutTermination_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"443\"\n    protocol: TCP\n  serverNames: [a.example]\n  rules:\n    http: [{}]");

        DiagnosticAssert.Errors(result, Error(13, 7, $"{Port}.serverNames", "serverNames together with L7 rules need terminatingTLS"));
    }

    [Fact]
    public void ServerNamesWithHttpAndTermination_Accepted()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"443\"\n    protocol: TCP\n  serverNames: [a.example]\n  terminatingTLS:\n    secret:\n      name: tls\n  rules:\n    http: [{}]");

        Assert.False(result.HasErrors, DiagnosticAssert.Describe(result.Diagnostics));
        Assert.Equal("tls", result.Documents[0].Rules[0].Egress![0].ToPorts![0].TerminatingTLS!.Secret!.Name);
    }

    [Fact]
    public void HostPolicyWithHttp_Error()
    {
        var text = PolicyText.Spec("nodeSelector: {}\ningress:\n- toPorts:\n  - ports:\n    - port: \"80\"\n      protocol: TCP\n    rules:\n      http: [{}]", "CiliumClusterwideNetworkPolicy");

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Errors(result, Error(13, 7, "spec.ingress[0].toPorts[0].rules", "host policies (nodeSelector) do not support HTTP or Kafka rules"));
    }

    [Fact]
    public void KafkaRoleAndApiKey_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"9092\"\n    protocol: TCP\n  rules:\n    kafka:\n    - role: produce\n      apiKey: produce");

        DiagnosticAssert.Errors(result, Error(16, 11, $"{Port}.rules.kafka[0]", "takes 'role' or 'apiKey', not both"));
    }

    [Fact]
    public void KafkaUnknownRole_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"9092\"\n    protocol: TCP\n  rules:\n    kafka:\n    - role: destroy");

        DiagnosticAssert.Errors(result, Error(15, 17, $"{Port}.rules.kafka[0].role", "Kafka role 'destroy' is not 'produce' or 'consume'"));
    }

    [Fact]
    public void HeaderMatchBadMismatch_Error()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n    protocol: TCP\n  rules:\n    http:\n    - headerMatches:\n      - name: X-Id\n        mismatch: DROP");

        DiagnosticAssert.Errors(result, Error(17, 23, $"{Port}.rules.http[0].headerMatches[0].mismatch", "mismatch 'DROP' is not one of LOG, ADD, DELETE, REPLACE"));
    }

    [Fact]
    public void HttpRuleFieldsParsed()
    {
        var result = Egress("toPorts:\n- ports:\n  - port: \"80\"\n    protocol: TCP\n  rules:\n    http:\n    - method: GET\n      path: /public\n      host: a.example\n      headers: ['X-Test: 1']\n      headerMatches:\n      - name: X-Id\n        value: \"7\"\n        mismatch: LOG");

        DiagnosticAssert.Exactly(result, Warning(14, 9, $"{Port}.rules.http", "rules.http is parsed but not enforced"));
        var http = result.Documents[0].Rules[0].Egress![0].ToPorts![0].Rules!.Http![0];
        Assert.Equal(("GET", "/public", "a.example"), (http.Method, http.Path, http.Host));
        Assert.Equal(["X-Test: 1"], http.Headers);
        Assert.Equal(("X-Id", "7", "LOG"), (http.HeaderMatches[0].Name, http.HeaderMatches[0].Value, http.HeaderMatches[0].Mismatch));
    }

    [Theory]
    [InlineData("toFQDNs:\n- matchName: a..example", 10, 18, "spec.egress[0].toFQDNs[0].matchName", "'a..example' is not a valid DNS name")]
    [InlineData("toFQDNs:\n- matchName: \"*.example\"", 10, 18, "spec.egress[0].toFQDNs[0].matchName", "is not a valid DNS name")]
    [InlineData("toFQDNs:\n- matchPattern: \"a b\"", 10, 21, "spec.egress[0].toFQDNs[0].matchPattern", "is not a valid DNS pattern")]
    [InlineData("toFQDNs:\n- matchName: a.example\n  matchPattern: \"*.example\"", 10, 7, "spec.egress[0].toFQDNs[0]", "takes only one of 'matchName' and 'matchPattern'")]
    [InlineData("toFQDNs:\n- {}", 10, 7, "spec.egress[0].toFQDNs[0]", "needs one of 'matchName' or 'matchPattern'")]
    [InlineData("authentication:\n  mode: optional", 10, 13, "spec.egress[0].authentication.mode", "must be one of disabled, required, test-always-fail")]
    [InlineData("authentication: {}", 9, 21, "spec.egress[0].authentication.mode", "must be one of disabled, required, test-always-fail")]
    public void PeerAndAuthenticationValues_Checked(string snippet, int line, int column, string path, string fragment)
    {
        var result = Egress(snippet);

        DiagnosticAssert.Errors(result, Error(line, column, path, fragment));
    }
}
