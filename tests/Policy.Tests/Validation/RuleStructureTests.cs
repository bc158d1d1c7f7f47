using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// Rule-level rules: one subject selector, nodeSelector only in the clusterwide kind, at least one
/// non-empty section, and the envelope's spec/specs. <see cref="PolicyText.Spec"/> puts the rule body at
/// line 7, column 3.
/// </summary>
public sealed class RuleStructureTests
{
    [Fact]
    public void NoSubjectSelector_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("ingress:\n- {}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(7, 3, "spec", "a rule needs an endpointSelector or a nodeSelector"));
    }

    [Fact]
    public void BothSubjectSelectors_ErrorAtNodeSelector()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector: {}\nnodeSelector: {}\ningress:\n- {}", "CiliumClusterwideNetworkPolicy"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(8, 3, "spec.nodeSelector", "either endpointSelector or nodeSelector, not both"));
    }

    [Fact]
    public void NodeSelectorInNamespacedPolicy_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("nodeSelector: {}\ningress:\n- {}"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(7, 3, "spec.nodeSelector", "nodeSelector is only allowed in a CiliumClusterwideNetworkPolicy"));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void NodeSelectorInClusterwidePolicy_AcceptedAsNotEnforced()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("nodeSelector:\n  matchLabels:\n    role: worker\ningress:\n- fromEntities: [cluster]", "CiliumClusterwideNetworkPolicy"), "p.yaml");

        DiagnosticAssert.Exactly(result,
            Warning(7, 3, "spec.nodeSelector", "nodeSelector is parsed but not enforced"),
            Warning(5, 3, "metadata.namespace", "metadata.namespace is ignored"));
        var document = Assert.Single(result.Documents);
        Assert.Equal(PolicyKind.CiliumClusterwideNetworkPolicy, document.Kind);
        Assert.Null(document.Namespace);
        Assert.Equal("worker", document.Rules[0].NodeSelector!.MatchLabels["role"]);
        Assert.Equal(new NotEnforcedFeature("nodeSelector", "spec.nodeSelector", new Diagnostics.SourceLocation("p.yaml", 7, 3), 0), Assert.Single(document.NotEnforced));
    }

    [Fact]
    public void NodeSelectorInRuleList_Allowed()
    {
        var result = PolicyParser.ParseText("[{\"nodeSelector\": {}, \"ingress\": [{}]}]", "host.json");

        DiagnosticAssert.Exactly(result, Warning(1, 3, "[0].nodeSelector", "nodeSelector is parsed but not enforced"));
    }

    [Fact]
    public void NoSections_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector: {}\ndescription: nothing"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(7, 3, "spec", "a rule needs at least one of ingress, ingressDeny, egress, egressDeny"));
    }

    [Theory]
    [InlineData("egress: []", "'egress' has no entries")]
    [InlineData("egress:", "'egress' has no entries")]
    [InlineData("ingressDeny: []\negressDeny: null", "'ingressDeny' has no entries")]
    public void OnlyEmptySections_Error(string sections, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Spec($"endpointSelector: {{}}\n{sections}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(7, 3, "spec", fragment));
    }

    [Theory]
    [InlineData("ingress:\n- {}")]
    [InlineData("egress:\n- {}")]
    [InlineData("ingressDeny:\n- fromEntities: [world]")]
    [InlineData("egressDeny:\n- toCIDR: [192.0.2.0/24]")]
    [InlineData("ingress: []\negress:\n- {}")]
    public void OneNonEmptySection_Accepted(string sections)
    {
        var result = PolicyParser.ParseText(PolicyText.Spec($"endpointSelector: {{}}\n{sections}"), "p.yaml");

        DiagnosticAssert.Exactly(result);
    }

    [Fact]
    public void EnvelopeWithoutSpecOrSpecs_EmptyPolicy()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(1, 1, string.Empty, "empty policy: it has neither 'spec' nor 'specs'"));
    }

    [Fact]
    public void NullSpec_EmptyPolicy()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\nspec:\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(1, 1, string.Empty, "empty policy"));
    }

    [Fact]
    public void EmptySpecs_Warning()
    {
        const string text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\nspecs: []\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(5, 1, "specs", "the policy holds no rules"));
        Assert.Empty(Assert.Single(result.Documents).Rules);
    }

    [Fact]
    public void SpecAndSpecs_AllRulesInOrder()
    {
        const string text =
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n" +
            "specs:\n- endpointSelector: {matchLabels: {a: '1'}}\n  ingress: [{}]\n- endpointSelector: {matchLabels: {a: '2'}}\n  egress: [{}]\n" +
            "spec:\n  endpointSelector: {matchLabels: {a: '0'}}\n  ingress: [{}]\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result);
        var rules = Assert.Single(result.Documents).Rules;
        Assert.Equal(["spec", "specs[0]", "specs[1]"], rules.Select(r => r.FieldPath));
        Assert.Equal([0, 1, 2], rules.Select(r => r.Index));
        Assert.Equal(["0", "1", "2"], rules.Select(r => r.EndpointSelector!.MatchLabels["a"]));
    }

    [Fact]
    public void ErrorInSecondSpec_PathHasIndex()
    {
        const string text =
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n" +
            "specs:\n- endpointSelector: {}\n  ingress: [{}]\n- endpointSelector: {}\n  egress:\n  - toEntities: [wrld]\n";

        var result = PolicyParser.ParseText(text, "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 18, "specs[1].egress[0].toEntities[0]", "did you mean 'world'?"));
    }

    [Fact]
    public void EndpointSelectorNamingOtherNamespace_Warning()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector:\n  matchLabels:\n    k8s:io.kubernetes.pod.namespace: other\ningress:\n- {}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(8, 5, "spec.endpointSelector.matchLabels", "names namespace 'other' but the policy is in 'shop'"));
        Assert.Single(result.Documents);
    }

    [Fact]
    public void RuleFieldsParsed()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec(
            "endpointSelector: {}\ndescription: allow dns\nlabels:\n- key: team\n  value: net\n  source: k8s\nenableDefaultDeny:\n  ingress: false\n  egress: true\negress:\n- {}"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var rule = result.Documents[0].Rules[0];
        Assert.Equal("allow dns", rule.Description);
        var label = Assert.Single(rule.Labels);
        Assert.Equal(("team", "net", "k8s"), (label.Key, label.Value, label.Source));
        Assert.False(rule.EnableDefaultDeny!.Ingress);
        Assert.True(rule.EnableDefaultDeny.Egress);
    }

    [Fact]
    public void RuleListLabelsInStringForm_Parsed()
    {
        var result = PolicyParser.ParseText("[{\"labels\": [\"k8s:team=net\", \"role=db\", \"unspec:flag\", {\"key\": \"name\", \"value\": \"x\"}], \"endpointSelector\": {}, \"ingress\": [{}]}]", "l.json");

        DiagnosticAssert.Exactly(result);
        Assert.Equal(
            [("team", "net", "k8s"), ("role", "db", ""), ("flag", "", "unspec"), ("name", "x", "")],
            result.Documents[0].Rules[0].Labels.Select(l => (l.Key, l.Value, l.Source)));
    }

    [Fact]
    public void LabelWithoutKey_Error()
    {
        var result = PolicyParser.ParseText("[{\"labels\": [\"k8s:=x\"], \"endpointSelector\": {}, \"ingress\": [{}]}]", "l.json");

        DiagnosticAssert.Exactly(result, Error(1, 14, "[0].labels[0]", "label 'k8s:=x' has no key"));
    }

    [Fact]
    public void EnableDefaultDenyOneDirection_OtherIsNull()
    {
        var result = PolicyParser.ParseText(PolicyText.Spec("endpointSelector: {}\nenableDefaultDeny:\n  egress: false\negress:\n- {}"), "p.yaml");

        var config = result.Documents[0].Rules[0].EnableDefaultDeny!;
        Assert.Null(config.Ingress);
        Assert.False(config.Egress);
    }
}
