using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// Label selectors (Kubernetes rules for matchExpressions). In the snippets line 10 is
/// <c>- matchExpressions:</c>, line 11 <c>  - key: app</c> (requirement at column 9), line 12
/// <c>    operator: X</c> (value at column 19), line 13 <c>    values: [...]</c> (value at column 17).
/// </summary>
public sealed class SelectorValidationTests
{
    private const string Path = "spec.ingress[0].fromEndpoints[0].matchExpressions[0]";

    private static string Requirement(string rest) => PolicyText.Ingress($"fromEndpoints:\n- matchExpressions:\n  - key: app\n{rest}");

    [Theory]
    [InlineData("    operator: In\n    values: [a, b]", SelectorOperator.In, 2)]
    [InlineData("    operator: NotIn\n    values: [a]", SelectorOperator.NotIn, 1)]
    [InlineData("    operator: Exists", SelectorOperator.Exists, 0)]
    [InlineData("    operator: DoesNotExist\n    values: []", SelectorOperator.DoesNotExist, 0)]
    public void ValidRequirement_Parsed(string rest, SelectorOperator op, int values)
    {
        var result = PolicyParser.ParseText(Requirement(rest), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var requirement = Assert.Single(result.Documents[0].Rules[0].Ingress![0].FromEndpoints![0].MatchExpressions);
        Assert.Equal("app", requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Equal(values, requirement.Values.Count);
    }

    [Theory]
    [InlineData("    operator: in\n    values: [a]", 12, 19, "operator", "operator 'in' is not one of In, NotIn, Exists, DoesNotExist")]
    [InlineData("    operator: Contains\n    values: [a]", 12, 19, "operator", "operator 'Contains' is not one of")]
    [InlineData("    operator: \"1\"", 12, 19, "operator", "operator '1' is not one of")]
    [InlineData("    operator: In\n    values: []", 13, 17, "values", "operator In needs at least one value")]
    [InlineData("    operator: NotIn", 12, 19, "values", "operator NotIn needs at least one value")]
    [InlineData("    operator: Exists\n    values: [a]", 13, 17, "values", "operator Exists takes no values")]
    [InlineData("    operator: DoesNotExist\n    values: [a]", 13, 17, "values", "operator DoesNotExist takes no values")]
    [InlineData("    operator: In\n    values: a", 13, 17, "values", "expected a list, found a string 'a'")]
    public void InvalidRequirement_ErrorAtField(string rest, int line, int column, string field, string fragment)
    {
        var result = PolicyParser.ParseText(Requirement(rest), "p.yaml");

        DiagnosticAssert.Errors(result, Error(line, column, $"{Path}.{field}", fragment));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void OperatorMissing_ErrorAtRequirement()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- matchExpressions:\n  - key: app"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(11, 9, $"{Path}.operator", "needs an 'operator'"));
    }

    [Fact]
    public void KeyMissing_ErrorAtRequirement()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- matchExpressions:\n  - operator: Exists"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(11, 9, $"{Path}.key", "needs a non-empty 'key'"));
    }

    [Fact]
    public void MatchLabelsNullValue_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- matchLabels:\n    app: null"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(11, 14, "spec.ingress[0].fromEndpoints[0].matchLabels[app]", "value of 'app' is null"));
    }

    [Fact]
    public void MatchLabelsEmptyStringValue_Accepted()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- matchLabels:\n    'reserved:health': ''"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Equal(string.Empty, result.Documents[0].Rules[0].Ingress![0].FromEndpoints![0].MatchLabels["reserved:health"]);
    }

    [Fact]
    public void NullSelectorInList_Error()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- null"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 7, "spec.ingress[0].fromEndpoints[0]", "found null; write {} to select everything"));
    }

    [Fact]
    public void MatchExpressionsAsMapping_WrongType()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEndpoints:\n- matchExpressions: {key: a}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 25, "spec.ingress[0].fromEndpoints[0].matchExpressions", "expected a list, found a mapping"));
    }

    [Fact]
    public void SelectorKeysKeepTheirSource()
    {
        var result = PolicyParser.ParseText(
            PolicyText.Ingress("fromEndpoints:\n- matchLabels:\n    k8s:io.kubernetes.pod.namespace: kube-system\n    any:app: dns\n    role: x"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var labels = result.Documents[0].Rules[0].Ingress![0].FromEndpoints![0].MatchLabels;
        Assert.Equal(["k8s:io.kubernetes.pod.namespace", "any:app", "role"], labels.Keys);
        Assert.Equal("kube-system", labels["k8s:io.kubernetes.pod.namespace"]);
    }
}
