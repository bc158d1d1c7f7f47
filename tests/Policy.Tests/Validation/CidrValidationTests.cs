using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// toCIDR / toCIDRSet. For <c>toCIDR:\n- X</c> the value is at line 10, column 7. For
/// <c>toCIDRSet:\n- cidr: X\n  except:\n  - Y</c> the cidr value is at 10:13, the except key at 11:7 and the
/// except value at 12:9.
/// </summary>
public sealed class CidrValidationTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.0.2.7/32", "192.0.2.7/32")]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("\"::1\"", "::1/128")]
    [InlineData("\"::/0\"", "::/0")]
    public void ValidToCidr_ParsedToPrefix(string value, string network)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"toCIDR:\n- {value}"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.Equal(network, result.Documents[0].Rules[0].Egress![0].ToCIDR![0].Network.ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/33", "prefix length must be a number in 0..32")]
    [InlineData("2001:db8::/129", "prefix length must be a number in 0..128")]
    [InlineData("10.0.0.0/-1", "prefix length must be a number in 0..32")]
    [InlineData("10.0.0.0/08", "prefix length must be a number in 0..32")]
    [InlineData("10.0.0.0/", "prefix length must be a number in 0..32")]
    [InlineData("10.0.0/8", "'10.0.0' is not an IP address")]
    [InlineData("010.0.0.0/8", "'010.0.0.0' is not an IP address")]
    [InlineData("300.1.1.1/8", "'300.1.1.1' is not an IP address")]
    [InlineData("abc", "'abc' is not an IP address")]
    [InlineData("fe80::1%eth0/64", "'fe80::1%eth0' is not an IP address")]
    [InlineData("10.0.0.0/255.0.0.0", "prefix length must be a number")]
    [InlineData("\"\"", "'' is not a valid CIDR")]
    public void InvalidToCidr_ErrorAtValue(string value, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"toCIDR:\n- {value}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 7, "spec.egress[0].toCIDR[0]", fragment));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void HostBitsSet_WarningAndMasked()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromCIDR:\n- 10.1.2.3/8"), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(10, 7, "spec.ingress[0].fromCIDR[0]", "it is read as 10.0.0.0/8"));
        var prefix = result.Documents[0].Rules[0].Ingress![0].FromCIDR![0];
        Assert.Equal("10.0.0.0/8", prefix.Network.ToString());
        Assert.Equal("10.1.2.3/8", prefix.Text);
    }

    [Theory]
    [InlineData("10.96.0.0/12")]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.255.255.255/32")]
    public void ExceptInsideCidr_Accepted(string except)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"toCIDRSet:\n- cidr: 10.0.0.0/8\n  except:\n  - {except}"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var rule = result.Documents[0].Rules[0].Egress![0].ToCIDRSet![0];
        Assert.Equal("10.0.0.0/8", rule.Cidr!.Network.ToString());
        Assert.Equal(except, Assert.Single(rule.Except).Text);
    }

    [Theory]
    [InlineData("11.0.0.0/16")]
    [InlineData("10.0.0.0/7")]
    [InlineData("0.0.0.0/0")]
    [InlineData("\"2001:db8::/64\"")]
    public void ExceptOutsideCidr_ErrorAtExceptValue(string except)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"toCIDRSet:\n- cidr: 10.0.0.0/8\n  except:\n  - {except}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(12, 9, "spec.egress[0].toCIDRSet[0].except", "is not contained in cidr 10.0.0.0/8"));
    }

    [Fact]
    public void CidrSetBareAddress_Rejected()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toCIDRSet:\n- cidr: 10.0.0.1"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 13, "spec.egress[0].toCIDRSet[0].cidr", "the prefix length is missing (e.g. '10.0.0.1/32')"));
    }

    [Fact]
    public void ExceptBareAddress_Rejected()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toCIDRSet:\n- cidr: 10.0.0.0/8\n  except:\n  - 10.0.0.1"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(12, 9, "spec.egress[0].toCIDRSet[0].except[0]", "the prefix length is missing"));
    }

    [Fact]
    public void CidrAndGroupRef_Rejected()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toCIDRSet:\n- cidr: 10.0.0.0/8\n  cidrGroupRef: office"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(10, 7, "spec.egress[0].toCIDRSet[0]", "takes only one of 'cidr', 'cidrGroupRef' and 'cidrGroupSelector'"));
    }

    [Fact]
    public void NoPrefixSource_Rejected()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toCIDRSet:\n- except: []"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 7, "spec.egress[0].toCIDRSet[0]", "needs one of 'cidr', 'cidrGroupRef' or 'cidrGroupSelector'"));
    }

    [Fact]
    public void ExceptWithGroupRef_Rejected()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toCIDRSet:\n- cidrGroupRef: office\n  except:\n  - 10.0.0.0/8"), "p.yaml");

        DiagnosticAssert.Exactly(result,
            Error(11, 7, "spec.egress[0].toCIDRSet[0].except", "'except' is only supported together with 'cidr'"),
            Warning(10, 7, "spec.egress[0].toCIDRSet[0].cidrGroupRef", "cidrGroupRef is parsed but not enforced"));
    }

    [Fact]
    public void GroupSelector_AcceptedAsNotEnforced()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromCIDRSet:\n- cidrGroupSelector:\n    matchLabels:\n      env: prod"), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(10, 7, "spec.ingress[0].fromCIDRSet[0].cidrGroupSelector", "cidrGroupSelector is parsed but not enforced"));
        Assert.Equal("prod", result.Documents[0].Rules[0].Ingress![0].FromCIDRSet![0].CidrGroupSelector!.MatchLabels["env"]);
    }
}
