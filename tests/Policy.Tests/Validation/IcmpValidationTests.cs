using System.Text;
using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>
/// icmps fields. Line 9 is <c>icmps:</c>, line 10 <c>- fields:</c>, line 11 <c>  - type: X</c> (entry at
/// column 9, type value at column 15), line 12 <c>    family: Y</c> (family value at column 17).
/// Type numbers come from the IANA ICMP and ICMPv6 registries as listed in the reference §1.7.
/// </summary>
public sealed class IcmpValidationTests
{
    private const string Path = "spec.egress[0].icmps[0].fields[0]";

    [Theory]
    [InlineData("8", "IPv4", 8)]
    [InlineData("0", "IPv4", 0)]
    [InlineData("255", "IPv6", 255)]
    [InlineData("EchoReply", "IPv4", 0)]
    [InlineData("DestinationUnreachable", "IPv4", 3)]
    [InlineData("Redirect", "IPv4", 5)]
    [InlineData("Echo", "IPv4", 8)]
    [InlineData("EchoRequest", "IPv4", 8)]
    [InlineData("RouterAdvertisement", "IPv4", 9)]
    [InlineData("TimeExceeded", "IPv4", 11)]
    [InlineData("TimestampReply", "IPv4", 14)]
    [InlineData("Photuris", "IPv4", 40)]
    [InlineData("ExtendedEchoReply", "IPv4", 43)]
    [InlineData("DestinationUnreachable", "IPv6", 1)]
    [InlineData("PacketTooBig", "IPv6", 2)]
    [InlineData("TimeExceeded", "IPv6", 3)]
    [InlineData("EchoRequest", "IPv6", 128)]
    [InlineData("EchoReply", "IPv6", 129)]
    [InlineData("RouterSolicitation", "IPv6", 133)]
    [InlineData("NeighborSolicitation", "IPv6", 135)]
    [InlineData("NeighborAdvertisement", "IPv6", 136)]
    [InlineData("RedirectMessage", "IPv6", 137)]
    [InlineData("HomeAgentAddressDiscoveryRequest", "IPv6", 144)]
    [InlineData("DuplicateAddressConfirmationCodeSuffix", "IPv6", 158)]
    [InlineData("ExtendedEchoReply", "IPv6", 161)]
    public void KnownType_ResolvedToNumber(string type, string family, int number)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"icmps:\n- fields:\n  - type: {type}\n    family: {family}"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var field = Assert.Single(result.Documents[0].Rules[0].Egress![0].ICMPs![0].Fields);
        Assert.Equal((byte)number, field.Type);
        Assert.Equal(family == "IPv4" ? IpFamily.IPv4 : IpFamily.IPv6, field.Family);
        Assert.Equal(type, field.TypeText);
    }

    [Fact]
    public void FamilyAbsent_DefaultsToIPv4()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("icmps:\n- fields:\n  - type: EchoRequest"), "p.yaml");

        var field = result.Documents[0].Rules[0].Egress![0].ICMPs![0].Fields[0];
        Assert.Equal(IpFamily.IPv4, field.Family);
        Assert.Equal(8, field.Type);
    }

    [Fact]
    public void TypeAsJsonNumberAndName_BothAccepted()
    {
        const string json = "[{\"endpointSelector\": {}, \"egress\": [{\"icmps\": [{\"fields\": [{\"type\": 8}, {\"type\": \"EchoRequest\", \"family\": \"IPv6\"}]}]}]}]";

        var result = PolicyParser.ParseText(json, "icmp.json");

        DiagnosticAssert.Exactly(result);
        var fields = result.Documents[0].Rules[0].Egress![0].ICMPs![0].Fields;
        Assert.Equal([8, 128], fields.Select(f => (int)f.Type));
    }

    [Theory]
    [InlineData("256\n    family: IPv4", 11, 15, "type", "ICMP type 256 is outside 0..255")]
    [InlineData("1000", 11, 15, "type", "ICMP type 1000 is outside 0..255")]
    [InlineData("Echo\n    family: IPv6", 11, 15, "type", "'Echo' is not an ICMPv6 type name")]
    [InlineData("RouterSolicitation\n    family: IPv4", 11, 15, "type", "'RouterSolicitation' is not an ICMP (IPv4) type name")]
    [InlineData("PacketTooBig", 11, 15, "type", "'PacketTooBig' is not an ICMP (IPv4) type name")]
    [InlineData("EchoRequets", 11, 15, "type", "did you mean 'EchoRequest'?")]
    [InlineData("echorequest", 11, 15, "type", "'echorequest' is not an ICMP (IPv4) type name")]
    [InlineData("-1", 11, 15, "type", "'-1' is not an ICMP (IPv4) type name")]
    [InlineData("[8]", 11, 15, "type", "expected a string, found a list")]
    [InlineData("8\n    family: ipv4", 12, 17, "family", "family 'ipv4' is not IPv4 or IPv6")]
    [InlineData("8\n    family: IPv5", 12, 17, "family", "family 'IPv5' is not IPv4 or IPv6")]
    public void InvalidField_ErrorAtValue(string typeAndRest, int line, int column, string field, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"icmps:\n- fields:\n  - type: {typeAndRest}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(line, column, $"{Path}.{field}", fragment));
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void TypeMissing_ErrorAtEntry()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("icmps:\n- fields:\n  - family: IPv6"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(11, 9, $"{Path}.type", "needs a 'type'"));
    }

    [Fact]
    public void FieldsNotAList_WrongType()
    {
        var result = PolicyParser.ParseText(PolicyText.Egress("icmps:\n- fields: 8"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 15, "spec.egress[0].icmps[0].fields", "expected a list, found a string '8'"));
    }

    [Theory]
    [InlineData(40, false)]
    [InlineData(41, true)]
    public void FieldsPerRule_AtMost40(int count, bool rejected)
    {
        var snippet = new StringBuilder("icmps:\n- fields:");
        for (var i = 0; i < count; i++)
        {
            snippet.Append("\n  - type: ").Append(i);
        }

        var result = PolicyParser.ParseText(PolicyText.Ingress(snippet.ToString()), "p.yaml");

        if (rejected)
        {
            DiagnosticAssert.Exactly(result, Error(10, 7, "spec.ingress[0].icmps[0].fields", "41 ICMP fields in one rule; the maximum is 40"));
        }
        else
        {
            DiagnosticAssert.Exactly(result);
        }
    }

    [Fact]
    public void IcmpsInDenyRule_Accepted()
    {
        var result = PolicyParser.ParseText(PolicyText.Section("egressDeny", "icmps:\n- fields:\n  - type: EchoRequest\n    family: IPv6"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        Assert.True(result.Documents[0].Rules[0].EgressDeny![0].IsDeny);
    }
}
