using System.Text;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// toPorts entries. In every snippet line 9 is <c>toPorts:</c>, line 10 <c>- ports:</c>, line 11 the port
/// entry (key <c>port</c> at column 9, its value at column 15), line 12 the second key of the entry
/// (column 9; an <c>endPort</c> value at column 18, a <c>protocol</c> value at column 19).
/// </summary>
public sealed class PortValidationTests
{
    private const string Path = "spec.egress[0].toPorts[0].ports[0]";

    [Theory]
    [InlineData("\"80\"\n    endPort: 79", 12, 9, "endPort", "endPort 79 is lower than port 80")]
    [InlineData("\"70000\"", 11, 15, "port", "'70000' is neither a port number in 0..65535 nor a port name")]
    [InlineData("\"65536\"", 11, 15, "port", "'65536' is neither")]
    [InlineData("\"-1\"", 11, 15, "port", "'-1' is neither")]
    [InlineData("\"080\"", 11, 15, "port", "leading zero")]
    [InlineData("my_port", 11, 15, "port", "'my_port' is neither")]
    [InlineData("abcdefghijklmnop", 11, 15, "port", "'abcdefghijklmnop' is neither")]
    [InlineData("a--b", 11, 15, "port", "'a--b' is neither")]
    [InlineData("-http", 11, 15, "port", "'-http' is neither")]
    [InlineData("\"80\"\n    endPort: 65536", 12, 18, "endPort", "65536 is outside 0..65535")]
    [InlineData("\"80\"\n    endPort: -5", 12, 18, "endPort", "-5 is outside 0..65535")]
    [InlineData("\"80\"\n    endPort: \"90\"", 12, 18, "endPort", "expected an integer, found a string '90'")]
    [InlineData("\"80\"\n    endPort: 9x", 12, 18, "endPort", "expected an integer, found '9x'")]
    [InlineData("\"80\"\n    protocol: ICMP", 12, 19, "protocol", "use an 'icmps' rule")]
    [InlineData("\"80\"\n    protocol: ICMPv6", 12, 19, "protocol", "use an 'icmps' rule")]
    [InlineData("\"80\"\n    protocol: HTTP", 12, 19, "protocol", "unknown protocol 'HTTP'")]
    [InlineData("\"80\"\n    protocol: [TCP]", 12, 19, "protocol", "expected a string, found a list")]
    [InlineData("[80]", 11, 15, "port", "expected a string, found a list")]
    [InlineData("{number: 80}", 11, 15, "port", "expected a string, found a mapping")]
    [InlineData("\"80\"\n    protocol: VRRP", 11, 9, "port", "protocol VRRP has no ports")]
    [InlineData("\"53\"\n    protocol: IGMP", 11, 9, "port", "protocol IGMP has no ports")]
    public void InvalidPortEntry_ErrorAtFieldWithReason(string portAndRest, int line, int column, string field, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"toPorts:\n- ports:\n  - port: {portAndRest}"), "p.yaml");

        DiagnosticAssert.Errors(result, Error(line, column, $"{Path}.{field}", fragment));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void PortMissing_ErrorAtEntry()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts:\n- ports:\n  - protocol: TCP"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(11, 9, $"{Path}.port", "a port must be given"));
    }

    [Fact]
    public void PortEmptyString_ErrorAtEntry()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts:\n- ports:\n  - port: \"\"\n    protocol: UDP"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(11, 9, $"{Path}.port", "a port must be given"));
    }

    [Theory]
    [InlineData("\"80\"", "80", null, L4Protocol.Any)]
    [InlineData("80", "80", null, L4Protocol.Any)]
    [InlineData("\"0\"", "0", null, L4Protocol.Any)]
    [InlineData("\"65535\"\n    protocol: udp", "65535", null, L4Protocol.UDP)]
    [InlineData("http", "http", null, L4Protocol.Any)]
    [InlineData("HTTP\n    protocol: tcp", "http", null, L4Protocol.TCP)]
    [InlineData("http-8080", "http-8080", null, L4Protocol.Any)]
    [InlineData("\"0x50\"", "0x50", null, L4Protocol.Any)]
    [InlineData("\"8000\"\n    endPort: 8080\n    protocol: TCP", "8000", 8080, L4Protocol.TCP)]
    [InlineData("\"8000\"\n    endPort: 8000\n    protocol: SCTP", "8000", 8000, L4Protocol.SCTP)]
    [InlineData("\"8000\"\n    endPort: 0", "8000", null, L4Protocol.Any)]
    [InlineData("\"53\"\n    protocol: ANY", "53", null, L4Protocol.Any)]
    [InlineData("\"53\"\n    protocol: \"\"", "53", null, L4Protocol.Any)]
    public void ValidPortEntry_ParsedAndNormalised(string portAndRest, string port, int? endPort, L4Protocol protocol)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"toPorts:\n- ports:\n  - port: {portAndRest}"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var parsed = Assert.Single(result.Documents[0].Rules[0].Egress![0].ToPorts![0].Ports);
        Assert.Equal(port, parsed.Port);
        Assert.Equal(endPort, parsed.EndPort);
        Assert.Equal(protocol, parsed.Protocol);
        Assert.Equal(11, parsed.Location.Line);
        Assert.Equal(9, parsed.Location.Column);
    }

    [Fact]
    public void NamedPort_IsNamedAndHasNoNumber()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts:\n- ports:\n  - port: Metrics"), "p.yaml");

        var port = result.Documents[0].Rules[0].Egress![0].ToPorts![0].Ports[0];
        Assert.True(port.IsNamed);
        Assert.Null(port.PortNumber);
        Assert.Equal("metrics", port.Port);
    }

    [Fact]
    public void EndPortWithNamedPort_WarningAtEndPort()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts:\n- ports:\n  - port: http\n    endPort: 90"), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(12, 9, $"{Path}.endPort", "endPort is ignored for the named port 'http'"));
        Assert.Single(result.Documents);
    }

    [Fact]
    public void VrrpWithoutPort_AcceptedAsNotEnforced()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts:\n- ports:\n  - protocol: VRRP"), "p.yaml");

        DiagnosticAssert.Exactly(result, Warning(11, 9, $"{Path}.protocol", "protocol VRRP is parsed but not enforced"));
        Assert.Equal(L4Protocol.VRRP, result.Documents[0].Rules[0].Egress![0].ToPorts![0].Ports[0].Protocol);
    }

    [Theory]
    [InlineData(40, false)]
    [InlineData(41, true)]
    public void PortsPerRule_AtMost40(int count, bool rejected)
    {
        var snippet = new StringBuilder("toPorts:\n- ports:");
        for (var i = 0; i < count; i++)
        {
            snippet.Append("\n  - port: \"").Append(1000 + i).Append('"');
        }

        var result = PolicyParser.ParseText(PolicyText.Egress(snippet.ToString()), "p.yaml");

        if (rejected)
        {
            DiagnosticAssert.Exactly(result, Error(10, 7, "spec.egress[0].toPorts[0].ports", "41 ports in one port rule; the maximum is 40"));
        }
        else
        {
            DiagnosticAssert.Exactly(result);
            Assert.Equal(40, result.Documents[0].Rules[0].Egress![0].ToPorts![0].Ports.Count);
        }
    }

    [Fact]
    public void ToPortsNotAList_WrongType()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts: 80"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(9, 14, "spec.egress[0].toPorts", "expected a list, found a string '80'"));
    }

    [Fact]
    public void PortsNotAList_WrongType()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts:\n- ports: {port: 80}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 14, "spec.egress[0].toPorts[0].ports", "expected a list, found a mapping"));
    }

    [Fact]
    public void SecondPortRuleError_PathCarriesIndices()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("toPorts:\n- ports:\n  - port: \"80\"\n- ports:\n  - port: \"81\"\n  - port: \"99999\""), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(14, 15, "spec.egress[0].toPorts[1].ports[1].port", "'99999' is neither"));
    }
}
