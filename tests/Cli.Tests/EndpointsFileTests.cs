using System.Net;
using Sluice.Cli.Endpoints;
using Sluice.Policy.Identities;
using Xunit;

namespace Sluice.Cli.Tests;

public sealed class EndpointsFileTests
{
    private const string Example = """
        endpoints:
          - name: frontend
            namespace: shop
            interface: veth-frontend
            addresses: [10.10.0.2, fd00::2]
            labels: {app: frontend, tier: web}
            policyMode: enforce
          - name: db
            namespace: shop
            addresses: [10.10.0.4]
            labels:
              app: db
              k8s:role: storage
            policyMode: audit
        external:
          - {cidr: 192.0.2.0/24, labels: {app: partner}}
        """;

    [Fact]
    public void Parse_DesignExample_ReadsEveryField()
    {
        var file = EndpointsFile.Parse(Example, "endpoints.yaml");

        Assert.Equal(2, file.Endpoints.Count);
        var frontend = file.Endpoints[0];
        Assert.Equal("frontend", frontend.Name);
        Assert.Equal("shop", frontend.Namespace);
        Assert.Equal("veth-frontend", frontend.Interface);
        Assert.Equal([IPAddress.Parse("10.10.0.2"), IPAddress.Parse("fd00::2")], frontend.Addresses);
        Assert.Equal("frontend", frontend.Labels["app"]);
        Assert.Equal("web", frontend.Labels["tier"]);
        Assert.Equal(PolicyMode.Enforce, frontend.PolicyMode);
        Assert.Equal(2, frontend.Location.Line);

        var db = file.Endpoints[1];
        Assert.Null(db.Interface);
        Assert.Equal("storage", db.Labels["k8s:role"]);
        Assert.Equal(PolicyMode.Audit, db.PolicyMode);

        var partner = Assert.Single(file.External);
        Assert.Equal(IpPrefix.Parse("192.0.2.0/24"), partner.Prefix);
        Assert.Equal("partner", partner.Labels["app"]);
    }

    [Fact]
    public void Parse_MissingNamespace_DefaultsToDefault()
    {
        var file = EndpointsFile.Parse("endpoints:\n  - name: a\n", "e.yaml");

        Assert.Equal(EndpointsFile.DefaultNamespace, Assert.Single(file.Endpoints).Namespace);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("# only a comment\n", 0)]
    [InlineData("endpoints: []\n", 0)]
    [InlineData("endpoints:\nexternal:\n", 0)]
    public void Parse_EmptyInputs_GiveNoEndpoints(string text, int count)
    {
        Assert.Equal(count, EndpointsFile.Parse(text, "e.yaml").Endpoints.Count);
    }

    [Theory]
    [InlineData("endpoints:\n  - name: a\n    labelz: {app: x}\n", 3, 5, "labelz")]
    [InlineData("endpoint:\n  - name: a\n", 1, 1, "endpoint")]
    [InlineData("endpoints:\n  - namespace: x\n", 2, 5, "'name' is required")]
    [InlineData("endpoints:\n  - name: a\n    addresses: [10.0.0.300]\n", 3, 17, "10.0.0.300")]
    [InlineData("endpoints:\n  - name: a\n    addresses: 10.0.0.1\n", 3, 16, "list of addresses")]
    [InlineData("endpoints:\n  - name: a\n    policyMode: drop\n", 3, 17, "drop")]
    [InlineData("endpoints:\n  - name: a\n    interface: this-name-is-far-too-long\n", 3, 16, "interface name")]
    [InlineData("endpoints:\n  - name: a\n    labels: [app, x]\n", 3, 13, "mapping")]
    [InlineData("endpoints:\n  - name: a\n    labels: {app: [x]}\n", 3, 19, "label values")]
    [InlineData("endpoints:\n  - name: [a]\n", 2, 11, "'name' must be text")]
    [InlineData("external:\n  - {cidr: 192.0.2.0/33}\n", 2, 12, "192.0.2.0/33")]
    [InlineData("external:\n  - {labels: {app: x}}\n", 2, 5, "'cidr' is required")]
    [InlineData("endpoints: {name: a}\n", 1, 12, "list of endpoints")]
    [InlineData("- name: a\n", 1, 1, "mapping")]
    [InlineData("endpoints:\n  - name: a\n    namespace: x\n    labels: {k8s:io.kubernetes.pod.namespace: y}\n", 4, 13, "contradicts")]
    public void Parse_InvalidInput_ReportsLineColumnAndReason(string text, int line, int column, string fragment)
    {
        var error = Assert.Throws<EndpointsFileException>(() => EndpointsFile.Parse(text, "e.yaml"));

        var diagnostic = Assert.Single(error.Errors);
        Assert.Equal("e.yaml", diagnostic.Location.File);
        Assert.Equal(line, diagnostic.Location.Line);
        Assert.Equal(column, diagnostic.Location.Column);
        Assert.Contains(fragment, diagnostic.Message, StringComparison.Ordinal);
        Assert.StartsWith($"e.yaml:{line}:{column}: error: ", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateNamesAndAddresses_AreBothReported()
    {
        const string text = "endpoints:\n  - {name: a, addresses: [10.0.0.1]}\n  - {name: a, addresses: [10.0.0.1]}\n";

        var error = Assert.Throws<EndpointsFileException>(() => EndpointsFile.Parse(text, "e.yaml"));

        Assert.Equal(2, error.Errors.Count);
        Assert.Contains(error.Errors, d => d.Message.Contains("name 'a' is already used at line 2", StringComparison.Ordinal));
        Assert.Contains(error.Errors, d => d.Message.Contains("10.0.0.1 is already used", StringComparison.Ordinal));
        Assert.All(error.Errors, d => Assert.Equal(3, d.Location.Line));
    }

    [Fact]
    public void Parse_SyntaxError_ReportsWhereTheScannerStopped()
    {
        var error = Assert.Throws<EndpointsFileException>(() => EndpointsFile.Parse("endpoints:\n  - name: a\n   bad: [\n", "e.yaml"));

        var diagnostic = Assert.Single(error.Errors);
        Assert.Equal("syntax", diagnostic.Code);
        Assert.True(diagnostic.Location.Line >= 2, diagnostic.ToString());
    }

    [Fact]
    public void Parse_DuplicateKey_IsAnErrorNotACrash()
    {
        var error = Assert.Throws<EndpointsFileException>(() => EndpointsFile.Parse("endpoints:\n  - name: a\n    name: b\n", "e.yaml"));

        Assert.Contains("e.yaml:3:", Assert.Single(error.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeeplyNestedInput_IsAnErrorNotAStackOverflow()
    {
        string text = "endpoints: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var error = Assert.Throws<EndpointsFileException>(() => EndpointsFile.Parse(text, "e.yaml"));

        var diagnostic = Assert.Single(error.Errors);
        Assert.Equal("limit-exceeded", diagnostic.Code);
        Assert.Equal(1, diagnostic.Location.Line);
    }

    [Fact]
    public void Parse_AliasesAreNotExpandedIntoABomb()
    {
        var text = new System.Text.StringBuilder("x0: &a0 [k]\n");
        for (int level = 1; level <= 9; level++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"x{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10))}]\n");
        }

        var error = Assert.Throws<EndpointsFileException>(() => EndpointsFile.Parse(text.ToString(), "e.yaml"));

        Assert.All(error.Errors, d => Assert.Equal("unknown-field", d.Code));
    }

    [Fact]
    public void Load_MissingFile_ReportsTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"slc-missing-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<EndpointsFileException>(() => EndpointsFile.Load(path));

        Assert.Equal(path, Assert.Single(error.Errors).Location.File);
    }
}
