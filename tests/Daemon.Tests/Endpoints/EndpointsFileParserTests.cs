using System.Net;
using Sluice.Daemon.Endpoints;
using Xunit;

namespace Sluice.Daemon.Tests.Endpoints;

public sealed class EndpointsFileParserTests
{
    private const string DesignExample = """
        endpoints:
          - name: frontend
            namespace: shop
            interface: veth-frontend
            addresses: [10.10.0.2, fd00::2]
            labels: {app: frontend, tier: web}
            policyMode: enforce
          - name: db
            namespace: shop
            interface: veth-db
            addresses: [10.10.0.4]
            labels: {k8s:app: db}
            policyMode: audit
        external:
          - {cidr: 192.0.2.0/24, labels: {app: partner}}
          - {cidr: "2001:db8::/32", labels: {app: partner6}}
        """;

    [Fact]
    public void Parse_DesignExample_ReadsEveryField()
    {
        var result = EndpointsFileParser.Parse(DesignExample);

        Assert.Empty(result.Errors);
        var file = result.File!;
        Assert.Equal(2, file.Endpoints.Count);
        var fe = file.Endpoints[0];
        Assert.Equal(("frontend", "shop", "veth-frontend"), (fe.Name, fe.Namespace, fe.Interface));
        Assert.Equal([IPAddress.Parse("10.10.0.2"), IPAddress.Parse("fd00::2")], fe.Addresses);
        Assert.Equal("frontend", fe.Labels["app"]);
        Assert.Equal("web", fe.Labels["tier"]);
        Assert.Equal(EndpointPolicyMode.Enforce, fe.PolicyMode);
        Assert.Equal((2, 5), (fe.Line, fe.Column));
        Assert.Equal(
            ["k8s:app=frontend", "k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop", "k8s:io.kubernetes.pod.namespace=shop", "k8s:tier=web"],
            fe.IdentityLabels.Select(l => l.ToString()));
        var db = file.Endpoints[1];
        Assert.Equal("db", db.Labels["app"]);
        Assert.Equal(EndpointPolicyMode.Audit, db.PolicyMode);
        Assert.Equal(IPNetwork.Parse("192.0.2.0/24"), file.External[0].Cidr);
        Assert.Equal(["k8s:app=partner"], file.External[0].IdentityLabels.Select(l => l.ToString()));
        Assert.Equal(IPNetwork.Parse("2001:db8::/32"), file.External[1].Cidr);
    }

    [Theory]
    [InlineData("")]
    [InlineData("endpoints: []")]
    [InlineData("endpoints:\nexternal:")]
    public void Parse_NoEndpoints_IsValidAndEmpty(string yaml)
    {
        var result = EndpointsFileParser.Parse(yaml);

        Assert.Empty(result.Errors);
        Assert.Empty(result.File!.Endpoints);
        Assert.Empty(result.File.External);
    }

    [Fact]
    public void Parse_NamespaceAndPolicyModeOmitted_UseDefaultAndInherit()
    {
        var result = EndpointsFileParser.Parse("endpoints:\n  - {name: a, interface: veth-a, addresses: [10.0.0.1]}");

        var e = Assert.Single(result.File!.Endpoints);
        Assert.Equal("default", e.Namespace);
        Assert.Equal(EndpointPolicyMode.Inherit, e.PolicyMode);
        Assert.Empty(e.Labels);
    }

    private const string Ep = "endpoints:\n  - ";

    // Each case: the YAML, the key path named, line, column, and a fragment of the message.
    public static TheoryData<string, string, int, int, string> InvalidCases => new()
    {
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1]}\n  - {name: a, interface: v2, addresses: [10.0.0.2]}", "endpoints[1].name", 3, 12, "endpoint name 'a' is already used at line 2" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1]}\n  - {name: b, interface: v1, addresses: [10.0.0.2]}", "endpoints[1].interface", 3, 26, "interface 'v1' is already used by endpoint 'a'" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1]}\n  - {name: b, interface: v2, addresses: [10.0.0.1]}", "endpoints[1].addresses", 3, 41, "address 10.0.0.1 is already used by endpoint 'a'" },
        { Ep + "{name: a, interface: v1, addresses: [fd00::1, 'fd00:0::1']}", "endpoints[0].addresses", 2, 41, "address fd00::1 is listed twice" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.300]}", "endpoints[0].addresses[0]", 2, 42, "is not an IPv4 or IPv6 address" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.0/24]}", "endpoints[0].addresses[0]", 2, 42, "is not an IPv4 or IPv6 address" },
        { Ep + "{name: a, interface: v1, addresses: [10.1]}", "endpoints[0].addresses[0]", 2, 42, "is not an IPv4 or IPv6 address" },
        { Ep + "{name: a, interface: v1, addresses: [127.0.0.1]}", "endpoints[0].addresses[0]", 2, 42, "loopback" },
        { Ep + "{name: a, interface: v1, addresses: [224.0.0.1]}", "endpoints[0].addresses[0]", 2, 42, "multicast" },
        { Ep + "{name: a, interface: v1, addresses: 10.0.0.1}", "endpoints[0].addresses", 2, 41, "expected a list" },
        { Ep + "{name: a, interface: v1, addresses: []}", "endpoints[0].addresses", 2, 5, "at least one address" },
        { Ep + "{name: a, interface: v1}", "endpoints[0].addresses", 2, 5, "at least one address" },
        { Ep + "{interface: v1, addresses: [10.0.0.1]}", "endpoints[0].name", 2, 5, "is required" },
        { Ep + "{name: a, addresses: [10.0.0.1]}", "endpoints[0].interface", 2, 5, "is required" },
        { Ep + "{name: Front_End, interface: v1, addresses: [10.0.0.1]}", "endpoints[0].name", 2, 12, "not a valid name" },
        { Ep + "{name: a, namespace: 'my shop', interface: v1, addresses: [10.0.0.1]}", "endpoints[0].namespace", 2, 26, "not a valid namespace" },
        { Ep + "{name: a, interface: veth-much-too-long, addresses: [10.0.0.1]}", "endpoints[0].interface", 2, 26, "not a valid interface name" },
        { Ep + "{name: a, interface: 'eth0:1', addresses: [10.0.0.1]}", "endpoints[0].interface", 2, 26, "not a valid interface name" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], policyMode: drop}", "endpoints[0].policyMode", 2, 65, "expected one of enforce, audit" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], polcyMode: audit}", "endpoints[0].polcyMode", 2, 53, "unknown key 'polcyMode'" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: [app]}", "endpoints[0].labels", 2, 61, "expected a mapping of label keys" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {app: {x: y}}}", "endpoints[0].labels.app", 2, 67, "expected a label value string" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {'reserved:host': ''}}", "endpoints[0].labels.reserved:host", 2, 62, "label source 'reserved' cannot be set" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {'-bad': x}}", "endpoints[0].labels.-bad", 2, 62, "not a valid label key" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {app: 'a b'}}", "endpoints[0].labels.app", 2, 67, "not a valid label value" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {app: x, 'k8s:app': y}}", "endpoints[0].labels.k8s:app", 2, 70, "given twice" },
        { Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {io.kubernetes.pod.namespace: x}}", "endpoints[0].labels.io.kubernetes.pod.namespace", 2, 62, "use 'namespace:' instead" },
        { Ep + "frontend", "endpoints[0]", 2, 5, "expected an endpoint mapping" },
        { "endpoints: {name: a}", "endpoints", 1, 12, "expected a list" },
        { "endpoint: []", "endpoint", 1, 1, "unknown key 'endpoint'; expected one of: endpoints, external" },
        { "external:\n  - {cidr: 192.0.2.1/24, labels: {app: p}}", "external[0].cidr", 2, 12, "has host bits set; did you mean 192.0.2.0/24?" },
        { "external:\n  - {cidr: 192.0.2.0/33, labels: {app: p}}", "external[0].cidr", 2, 12, "is not a CIDR" },
        { "external:\n  - {cidr: 192.0.2.0, labels: {app: p}}", "external[0].cidr", 2, 12, "is not a CIDR" },
        { "external:\n  - {cidr: partner.example/24, labels: {app: p}}", "external[0].cidr", 2, 12, "is not a CIDR" },
        { "external:\n  - {cidr: 192.0.2.0/24}", "external[0].labels", 2, 5, "at least one label" },
        { "external:\n  - {labels: {app: p}}", "external[0].cidr", 2, 5, "is required" },
        { "external:\n  - {cidr: 192.0.2.0/24, labels: {app: p}}\n  - {cidr: 192.0.2.0/24, labels: {app: q}}", "external[1].cidr", 3, 12, "already listed at line 2" },
        { "external:\n  - 192.0.2.0/24", "external[0]", 2, 5, "expected a mapping {cidr, labels}" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Parse_InvalidEntry_ReportsPathAndPosition(string yaml, string path, int line, int column, string fragment)
    {
        var result = EndpointsFileParser.Parse(yaml);

        Assert.Null(result.File);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_OneBadEntryAmongGood_RejectsTheWholeFile()
    {
        var result = EndpointsFileParser.Parse(Ep + "{name: a, interface: v1, addresses: [10.0.0.1]}\n  - {name: b, interface: v2, addresses: [bogus]}");

        Assert.Null(result.File);
        Assert.Equal("endpoints[1].addresses[0]", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Load_MissingFile_IsEmpty()
    {
        var result = EndpointsFileParser.Load(Path.Combine(Path.GetTempPath(), "slc-none-" + Guid.NewGuid().ToString("N")));

        Assert.Empty(result.Errors);
        Assert.Empty(result.File!.Endpoints);
    }

    [Fact]
    public void SameAs_ReorderedLabelsDifferentPosition_IsSame()
    {
        var a = EndpointsFileParser.Parse(Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {x: '1', y: '2'}}").File!.Endpoints[0];
        var b = EndpointsFileParser.Parse("\n" + Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {y: '2', x: '1'}}").File!.Endpoints[0];
        var c = EndpointsFileParser.Parse(Ep + "{name: a, interface: v1, addresses: [10.0.0.1], labels: {x: '1', y: '3'}}").File!.Endpoints[0];

        Assert.True(a.SameAs(b));
        Assert.False(a.SameAs(c));
    }
}
