using Sluice.Policy.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>Every diagnostic points at the exact line and character column, in YAML and in JSON.</summary>
public sealed class SourceLocationTests
{
    // The same invalid port in both formats; the bad value is "99999".
    private const string Yaml =
        "apiVersion: cilium.io/v2\n" +
        "kind: CiliumNetworkPolicy\n" +
        "metadata:\n" +
        "  name: p\n" +
        "spec:\n" +
        "  endpointSelector: {}\n" +
        "  egress:\n" +
        "  - toPorts:\n" +
        "    - ports:\n" +
        "      - port: \"99999\"\n";

    private const string Json =
        "{\n" +
        "  \"apiVersion\": \"cilium.io/v2\",\n" +
        "  \"kind\": \"CiliumNetworkPolicy\",\n" +
        "  \"metadata\": {\"name\": \"p\"},\n" +
        "  \"spec\": {\n" +
        "    \"endpointSelector\": {},\n" +
        "    \"egress\": [{\"toPorts\": [{\"ports\": [{\"port\": \"99999\"}]}]}]\n" +
        "  }\n" +
        "}\n";

    [Fact]
    public void Yaml_ErrorAtValue()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Yaml, "a.yaml"),
            Error(10, 15, "spec.egress[0].toPorts[0].ports[0].port", "'99999' is neither"));
    }

    [Fact]
    public void Json_ErrorAtValue()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Json, "a.json"),
            Error(7, 49, "spec.egress[0].toPorts[0].ports[0].port", "'99999' is neither"));
    }

    [Fact]
    public void JsonContentInYamlFile_ReadAsJson()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Json, "a.yaml"),
            Error(7, 49, "spec.egress[0].toPorts[0].ports[0].port", "'99999' is neither"));
    }

    [Fact]
    public void Json_TabsAreWhitespaceAndCountAsOneColumn()
    {
        const string json = "[{\n\t\"endpointSelector\": {},\n\t\"ingress\": [{\"fromEntities\": [\"wrld\"]}]\n}]";

        DiagnosticAssert.Exactly(PolicyParser.ParseText(json, "t.json"),
            Error(3, 32, "[0].ingress[0].fromEntities[0]", "did you mean 'world'?"));
    }

    [Fact]
    public void Json_MultiByteCharactersCountAsOneColumn()
    {
        const string json = "[{\"description\": \"égalité ✓\", \"endpointSelector\": {}, \"ingress\": [{\"fromEntities\": [\"wrld\"]}]}]";

        DiagnosticAssert.Exactly(PolicyParser.ParseText(json, "t.json"),
            Error(1, 85, "[0].ingress[0].fromEntities[0]", "did you mean 'world'?"));
    }

    [Fact]
    public void OneLineJson_ManyMultiByteTokens_ColumnsStayExact()
    {
        var rules = Enumerable.Range(0, 2000).Select(i => $"{{\"description\": \"règle {i} ✓\", \"endpointSelector\": {{}}, \"ingress\": [{{}}]}}");
        var text = "[" + string.Join(", ", rules) + ", {\"description\": \"é\", \"endpointSelector\": {}, \"ingress\": [{\"fromEntities\": [\"wrld\"]}]}]";

        var result = PolicyParser.ParseText(text, "one-line.json");

        // Columns count characters, so the expected column is the character index of the value plus one.
        DiagnosticAssert.Exactly(result, Error(1, text.IndexOf("\"wrld\"", StringComparison.Ordinal) + 1, "[2000].ingress[0].fromEntities[0]", "did you mean 'world'?"));
    }

    [Fact]
    public void Yaml_MultiByteCharactersCountAsOneColumn()
    {
        var text = PolicyText.Egress("toEntities: [\"ünïcödé\", wrld]");

        DiagnosticAssert.Errors(PolicyParser.ParseText(text, "t.yaml"),
            Error(9, 18, "spec.egress[0].toEntities[0]", "unknown entity 'ünïcödé'"),
            Error(9, 29, "spec.egress[0].toEntities[1]", "did you mean 'world'?"));
    }

    [Fact]
    public void CrLfLineEndings_SameLocations()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Yaml.Replace("\n", "\r\n", StringComparison.Ordinal), "a.yaml"),
            Error(10, 15, "spec.egress[0].toPorts[0].ports[0].port", "'99999' is neither"));
        DiagnosticAssert.Exactly(PolicyParser.ParseText(Json.Replace("\n", "\r\n", StringComparison.Ordinal), "a.json"),
            Error(7, 49, "spec.egress[0].toPorts[0].ports[0].port", "'99999' is neither"));
    }

    [Fact]
    public void ByteOrderMark_Ignored()
    {
        DiagnosticAssert.Exactly(PolicyParser.ParseText("\uFEFF" + Yaml, "a.yaml"),
            Error(10, 15, "spec.egress[0].toPorts[0].ports[0].port", "'99999' is neither"));
        DiagnosticAssert.Exactly(PolicyParser.ParseText("\uFEFF" + Json, "a.json"),
            Error(7, 49, "spec.egress[0].toPorts[0].ports[0].port", "'99999' is neither"));
    }

    [Fact]
    public void ModelNodesCarryLocations()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toEndpoints:\n- matchLabels: {app: db}\ntoPorts:\n- ports:\n  - port: \"5432\""), "loc.yaml");

        var document = Assert.Single(result.Documents);
        Assert.Equal(("loc.yaml", 1, 1), (document.Source.File, document.Source.Line, document.Source.Column));
        var rule = document.Rules[0];
        Assert.Equal((7, 3), (rule.Location.Line, rule.Location.Column));
        var egress = rule.Egress![0];
        Assert.Equal((9, 5), (egress.Location.Line, egress.Location.Column));
        Assert.Equal("spec.egress[0]", egress.FieldPath);
        Assert.Equal((10, 7), (egress.ToEndpoints![0].Location.Line, egress.ToEndpoints[0].Location.Column));
        Assert.Equal((12, 7), (egress.ToPorts![0].Location.Line, egress.ToPorts[0].Location.Column));
    }

    [Theory]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: x\n spec: 1\n", 5, 2, "did not find expected key")]
    [InlineData("a: 'unterminated\nb: 2\n", 1, 4, "found unexpected end of stream")]
    [InlineData("a:\n\t- b\n", 1, 1, "found invalid tab as indentation")]
    [InlineData("key: value\n- item\n", 2, 1, "did not find expected key")]
    [InlineData("a: *nope\n", 1, 4, "alias *nope names no anchor defined before it")]
    [InlineData("{\n  \"kind\": \"CiliumNetworkPolicy\"\n  \"x\": 1\n}", 3, 3, "did not find expected ',' or '}'")]
    public void YamlSyntaxError_Located(string text, int line, int column, string fragment)
    {
        var result = PolicyParser.ParseText(text, "bad.yaml");

        DiagnosticAssert.Exactly(result, Error(line, column, string.Empty, "YAML syntax error: "));
        Assert.Contains(fragment, result.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(Diagnostics.DiagnosticCodes.Syntax, result.Diagnostics[0].Code);
    }

    [Fact]
    public void YamlParserInternalFailure_ReportedAsSyntaxError()
    {
        // An unterminated flow sequence followed by a mapping key makes YamlDotNet's scanner throw
        // InvalidOperationException rather than a YamlException; it must still be a located syntax error.
        var result = PolicyParser.ParseText("a: [1, 2\nb: 3\n", "bad.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.True(diagnostic.IsError);
        Assert.Equal(Diagnostics.DiagnosticCodes.Syntax, diagnostic.Code);
        Assert.Equal(1, diagnostic.Location.Line);
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 1, 9, "a trailing comma is not allowed in JSON")]
    [InlineData("[{\"a\": 1}\n,\n]", 3, 1, "a trailing comma is not allowed in JSON")]
    [InlineData("{\n  \"kind\": \"CiliumNetworkPolicy\"\n  \"x\": 1\n}", 3, 3, "'\"' is invalid after a value")]
    [InlineData("{\"é\": \"ü\", \"a\": tru}", 1, 20, "'tru}' is an invalid JSON literal")]
    [InlineData("// comment\n[]", 1, 1, "'/' is an invalid start of a value")]
    [InlineData("[1] [2]", 1, 5, "'[' is invalid after a single JSON value")]
    [InlineData("[\"unterminated]", 1, 16, "")]
    public void JsonSyntaxError_Located(string text, int line, int column, string fragment)
    {
        var result = PolicyParser.ParseText(text, "bad.json");

        DiagnosticAssert.Exactly(result, Error(line, column, string.Empty, "JSON syntax error: " + fragment));
        Assert.DoesNotContain("LineNumber", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void YamlDuplicateKey_ErrorAtSecondKeyAndDocumentRejected()
    {
        var text = PolicyText.Spec("endpointSelector: {}\ningress:\n- {}\nendpointSelector: {matchLabels: {a: b}}");

        var result = PolicyParser.ParseText(text, "dup.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 3, string.Empty, "duplicate key 'endpointSelector'"));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void JsonDuplicateKey_ErrorAtSecondKeyAndDocumentRejected()
    {
        var result = PolicyParser.ParseText("[{\"endpointSelector\": {},\n  \"ingress\": [{}],\n  \"ingress\": []}]", "dup.json");

        DiagnosticAssert.Exactly(result, Error(3, 3, string.Empty, "duplicate key 'ingress'"));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void DiagnosticToString_CompilerStyle()
    {
        var diagnostic = PolicyParser.ParseText(Yaml, "dir/a.yaml").Diagnostics.Single();

        Assert.Equal("dir/a.yaml:10:15: error: spec.egress[0].toPorts[0].ports[0].port: '99999' is neither a port number in 0..65535 nor a port name (1-15 letters, digits and single hyphens, with a letter)", diagnostic.ToString());
    }
}
