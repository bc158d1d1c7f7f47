using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>Which documents are policies, which are skipped, and how each envelope kind is read.</summary>
public sealed class EnvelopeTests
{
    private const string Cnp =
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    team: a\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n";

    [Fact]
    public void CiliumNetworkPolicy_NameNamespaceLabels()
    {
        var result = PolicyParser.ParseText(Cnp, "cnp.yaml");

        DiagnosticAssert.Exactly(result);
        var document = Assert.Single(result.Documents);
        Assert.Equal((PolicyKind.CiliumNetworkPolicy, "web", "shop"), (document.Kind, document.Name, document.Namespace));
        Assert.Equal("a", document.Labels["team"]);
        Assert.Equal(0, document.DocumentIndex);
        Assert.Null(document.Kubernetes);
        Assert.Empty(document.NotEnforced);
    }

    [Fact]
    public void CiliumNetworkPolicyWithoutNamespace_NamespaceNull()
    {
        var result = PolicyParser.ParseText(Cnp.Replace("  namespace: shop\n", string.Empty, StringComparison.Ordinal), "cnp.yaml");

        Assert.Null(Assert.Single(result.Documents).Namespace);
    }

    [Fact]
    public void ClusterwidePolicy_NoNamespace()
    {
        var text = "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: all\nspecs:\n- endpointSelector: {}\n  egress: [{}]\n";

        var result = PolicyParser.ParseText(text, "ccnp.yaml");

        DiagnosticAssert.Exactly(result);
        var document = Assert.Single(result.Documents);
        Assert.Equal(PolicyKind.CiliumClusterwideNetworkPolicy, document.Kind);
        Assert.Null(document.Namespace);
        Assert.Equal("specs[0]", document.Rules[0].FieldPath);
    }

    [Fact]
    public void MultiDocumentYaml_InvalidDocumentDroppedOthersKept()
    {
        var text = Cnp + "---\n" + Cnp.Replace("name: web", "name: bad", StringComparison.Ordinal).Replace("ingress: [{}]", "ingress: [{fromEntities: [wrld]}]", StringComparison.Ordinal)
            + "---\n" + Cnp.Replace("name: web", "name: third", StringComparison.Ordinal);

        var result = PolicyParser.ParseText(text, "multi.yaml");

        DiagnosticAssert.Exactly(result, Error(21, 29, "spec.ingress[0].fromEntities[0]", "did you mean 'world'?"));
        Assert.Equal(["web", "third"], result.Documents.Select(d => d.Name));
        Assert.Equal([0, 2], result.Documents.Select(d => d.DocumentIndex));
        Assert.Equal(23, result.Documents[1].Source.Line);
    }

    [Fact]
    public void SyntaxErrorInSecondDocument_FirstDocumentKept()
    {
        var text = Cnp + "---\napiVersion: cilium.io/v2\nkind: [unclosed\n";

        var result = PolicyParser.ParseText(text, "broken.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((Diagnostics.DiagnosticCodes.Syntax, 14), (error.Code, error.Location.Line));
        Assert.Equal("web", Assert.Single(result.Documents).Name);
    }

    [Fact]
    public void Diagnostics_OrderedByPosition()
    {
        var text = PolicyText.Egress("toFQDNs:\n- matchName: a..b\ntoPorts:\n- ports:\n  - port: \"99999\"\n    protocol: ICMP");

        var result = PolicyParser.ParseText(text, "order.yaml");

        var positions = result.Diagnostics.Select(d => (d.Location.Line, d.Location.Column)).ToList();
        Assert.Equal(4, positions.Count);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void NonPolicyDocuments_SkippedWithNoteAtKind()
    {
        const string text =
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\n" +
            "apiVersion: cilium.io/v2\nkind: CiliumEnvoyConfig\nmetadata:\n  name: cec\nspec: {resources: []}\n---\n" +
            "kind: Service\napiVersion: v1\n---\n" +
            "apiVersion: cilium.io/v2alpha1\nkind: CiliumCIDRGroup\nmetadata:\n  name: g\n";

        var result = PolicyParser.ParseText(text, "mixed.yaml");

        DiagnosticAssert.Exactly(result,
            Note(2, 1, string.Empty, "skipped Pod (v1): not a network policy"),
            Note(7, 1, string.Empty, "skipped CiliumEnvoyConfig (cilium.io/v2)"),
            Note(12, 1, string.Empty, "skipped Service (v1)"),
            Note(16, 1, string.Empty, "skipped CiliumCIDRGroup (cilium.io/v2alpha1)"));
        Assert.Empty(result.Documents);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void ListKind_ItemsReadAsDocuments()
    {
        const string text =
            "apiVersion: v1\nkind: List\nitems:\n" +
            "- apiVersion: cilium.io/v2\n  kind: CiliumNetworkPolicy\n  metadata: {name: a, namespace: n}\n  spec: {endpointSelector: {}, ingress: [{}]}\n" +
            "- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n  metadata: {name: b, namespace: n}\n  spec:\n    podSelector: {}\n    egress:\n    - ports:\n      - port: 0\n" +
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n" +
            "- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n  metadata: {name: d}\n  spec: {podSelector: {}}\n";

        var result = PolicyParser.ParseText(text, "list.yaml");

        DiagnosticAssert.Exactly(result,
            Error(15, 15, "items[1].spec.egress[0].ports[0].port", "port 0 is outside 1..65535"),
            Note(17, 3, "items[2]", "skipped ConfigMap (v1)"));
        Assert.Equal(["a", "d"], result.Documents.Select(d => d.Name));
        Assert.Equal([PolicyKind.CiliumNetworkPolicy, PolicyKind.KubernetesNetworkPolicy], result.Documents.Select(d => d.Kind));
    }

    [Fact]
    public void RuleListJson_NamedAfterFile()
    {
        var result = PolicyParser.ParseText("[{\"endpointSelector\": {\"matchLabels\": {\"app\": \"a\"}}, \"ingress\": [{}]}, {\"nodeSelector\": {}, \"egress\": [{}]}]", "dir/rules.json");

        var document = Assert.Single(result.Documents);
        Assert.Equal((PolicyKind.RuleList, "rules.json"), (document.Kind, document.Name));
        Assert.Null(document.Namespace);
        Assert.Equal(["[0]", "[1]"], document.Rules.Select(r => r.FieldPath));
        Assert.Equal([0, 1], document.Rules.Select(r => r.Index));
    }

    [Fact]
    public void RuleListYaml_MultipleDocumentsNamedByIndex()
    {
        var result = PolicyParser.ParseText("- endpointSelector: {}\n  ingress: [{}]\n---\n- endpointSelector: {}\n  egress: [{}]\n", "rules.yaml");

        Assert.Equal(["rules.yaml", "rules.yaml#1"], result.Documents.Select(d => d.Name));
    }

    [Fact]
    public void EmptyRuleList_Warning()
    {
        var result = PolicyParser.ParseText("[]", "rules.json");

        DiagnosticAssert.Exactly(result, Warning(1, 1, string.Empty, "the rule list is empty"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("---\n...\n---\n")]
    [InlineData("null\n")]
    [InlineData("   \n\n")]
    public void EmptyInput_NothingReported(string text)
    {
        var result = PolicyParser.ParseText(text, "empty.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Empty(result.Documents);
    }

    [Theory]
    [InlineData("hello\n", "found a string 'hello'")]
    [InlineData("42\n", "found a string '42'")]
    public void ScalarDocument_Error(string text, string fragment)
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(text, "s.yaml"), Error(1, 1, string.Empty, fragment));
    }

    [Fact]
    public void MappingWithoutKind_Error()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText("endpointSelector: {}\ningress: [{}]\n", "k.yaml"),
            Error(1, 1, "kind", "the document has no 'kind'"));
    }

    [Theory]
    [InlineData("cilium.io/v1", "apiVersion 'cilium.io/v1' is not supported for this kind; expected cilium.io/v2")]
    [InlineData("cilium.io/v2alpha1", "apiVersion 'cilium.io/v2alpha1' is not supported")]
    public void CiliumKindWithOtherVersion_Error(string apiVersion, string fragment)
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Cnp.Replace("cilium.io/v2", apiVersion, StringComparison.Ordinal), "v.yaml"),
            Error(1, 13, "apiVersion", fragment));
    }

    [Theory]
    [InlineData("Web", "name", 4, 9, "'Web' is not a valid object name")]
    [InlineData("web_1", "name", 4, 9, "'web_1' is not a valid object name")]
    [InlineData("-web", "name", 4, 9, "'-web' is not a valid object name")]
    [InlineData("web.", "name", 4, 9, "'web.' is not a valid object name")]
    [InlineData("Shop", "namespace", 5, 14, "'Shop' is not a valid namespace")]
    [InlineData("shop.eu", "namespace", 5, 14, "'shop.eu' is not a valid namespace")]
    public void InvalidObjectNames_Error(string value, string field, int line, int column, string fragment)
    {
        var text = field == "name" ? Cnp.Replace("name: web", "name: " + value, StringComparison.Ordinal) : Cnp.Replace("namespace: shop", "namespace: " + value, StringComparison.Ordinal);

        DiagnosticAssert.Exactly(PolicyParser.ParseText(text, "n.yaml"), Error(line, column, "metadata." + field, fragment));
    }

    [Theory]
    [InlineData("web.v2")]
    [InlineData("0-allow")]
    [InlineData("a")]
    public void ValidObjectNames_Accepted(string name)
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Cnp.Replace("name: web", "name: " + name, StringComparison.Ordinal), "n.yaml"));
    }

    [Fact]
    public void MissingApiVersion_Error()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Cnp.Replace("apiVersion: cilium.io/v2\n", string.Empty, StringComparison.Ordinal), "v.yaml"),
            Error(1, 1, "apiVersion", "the document has no 'apiVersion' (expected cilium.io/v2)"));
    }

    [Fact]
    public void ApiVersionInWrongCase_OneUnknownFieldError()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Cnp.Replace("apiVersion", "apiversion", StringComparison.Ordinal), "v.yaml"),
            Error(1, 1, "apiversion", "unknown field 'apiversion' in a CiliumNetworkPolicy; did you mean 'apiVersion'?"));
    }

    [Fact]
    public void ShortKindNames_NotPolicies()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText("apiVersion: cilium.io/v2\nkind: cnp\nmetadata: {name: x}\n", "short.yaml"),
            Note(2, 1, string.Empty, "skipped cnp (cilium.io/v2): not a network policy"));
    }

    [Fact]
    public void CorpusStyleQuirks_QuotedValuesAndTrailingSpaces()
    {
        const string text = "apiVersion: \"cilium.io/v2\"\nkind: CiliumNetworkPolicy\nmetadata:\n  name: \"fqdn\"   \nspec:\n  endpointSelector:\n    matchLabels: {}   \n  egress:\n  - toEntities: [\"world\"]  ";

        var result = PolicyParser.ParseText(text, "q.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Equal("fqdn", result.Documents[0].Name);
    }
}
