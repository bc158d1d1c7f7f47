using Xunit;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>sluice policy trace</c> end to end over real policy and endpoints files. Each case states its verdict
/// from the policy text (Cilium semantics), not from the engine.
/// </summary>
public sealed class PolicyTraceCommandTests : IDisposable
{
    // api (namespace shop) admits frontend on 8080/TCP and ICMP echo from anyone, denies the world outright;
    // frontend may reach api, the partner prefix on 443, and nothing else (egress default-deny).
    private const string Policies = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api-ingress, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: api}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: frontend}}]
              toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
            - icmps: [{fields: [{type: EchoRequest, family: IPv4}]}]
          ingressDeny:
            - fromEntities: [world]
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: frontend-egress, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: frontend}}
          egress:
            - toEndpoints: [{matchLabels: {app: api}}]
            - toCIDR: [192.0.2.0/24]
              toPorts: [{ports: [{port: "443", protocol: TCP}]}]
        """;

    private const string Endpoints = """
        endpoints:
          - {name: frontend, namespace: shop, interface: veth-fe, addresses: [10.10.0.2], labels: {app: frontend}}
          - {name: api, namespace: shop, interface: veth-api, addresses: [10.10.0.3, "fd00::3"], labels: {app: api}}
        external:
          - {cidr: 192.0.2.0/24, labels: {app: partner}}
        """;

    private readonly TempDirectory _dir = new();
    private readonly string _policies;
    private readonly string _endpoints;

    public PolicyTraceCommandTests()
    {
        _policies = Path.GetDirectoryName(_dir.Write("policies/shop.yaml", Policies))!;
        _endpoints = _dir.Write("endpoints.yaml", Endpoints);
    }

    [Fact]
    public void Trace_AllowedByLabels_EndsWithAllowed()
    {
        var run = Trace("--src", "app=frontend", "--dst", "app=api", "--namespace", "shop", "--dport", "8080/TCP");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Final verdict: ALLOWED", run.OutputLines[^1]);
        Assert.Contains("api-ingress", run.Output, StringComparison.Ordinal);
        Assert.Contains("frontend-egress", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_PortNotAllowed_IsDeniedByDefault()
    {
        var run = Trace("--src", "app=frontend", "--dst", "app=api", "-n", "shop", "--dport", "9090/TCP");

        Assert.Equal("Final verdict: DENIED", run.OutputLines[^1]);
        Assert.Contains("POLICY_DENIED", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_OtherNamespace_IsNotSelectedByNamespacedPeers()
    {
        // CNP peer selectors get the policy's namespace injected: frontend in "ops" is not "frontend in shop".
        var run = Trace("--src", "app=frontend", "--src-namespace", "ops", "--dst", "app=api", "--dst-namespace", "shop", "--dport", "8080/TCP");

        Assert.Equal("Final verdict: DENIED", run.OutputLines[^1]);
    }

    [Fact]
    public void Trace_NamespaceAsLabel_IsHonoured()
    {
        var run = Trace("--src", "app=frontend,k8s:io.kubernetes.pod.namespace=shop", "--dst", "app=api,io.kubernetes.pod.namespace=shop", "--dport", "8080/TCP");

        Assert.Equal("Final verdict: ALLOWED", run.OutputLines[^1]);
    }

    [Fact]
    public void Trace_ByAddress_ResolvesEndpointsFromTheEndpointsFile()
    {
        var allowed = Trace("--src-ip", "10.10.0.2", "--dst-ip", "10.10.0.3", "--dport", "8080/TCP", "--endpoints", _endpoints);
        var ipv6 = Trace("--src-ip", "10.10.0.2", "--dst-ip", "fd00::3", "--dport", "8080", "--endpoints", _endpoints);

        Assert.Equal("Final verdict: ALLOWED", allowed.OutputLines[^1]);
        Assert.Equal("Final verdict: ALLOWED", ipv6.OutputLines[^1]);
    }

    [Fact]
    public void Trace_WorldSource_IsDeniedByTheDenyRule()
    {
        var byAddress = Trace("--src-ip", "198.51.100.7", "--dst-ip", "10.10.0.3", "--dport", "8080/TCP", "--endpoints", _endpoints);
        var byEntity = Trace("--src", "reserved:world", "--dst", "app=api", "-n", "shop", "--dport", "8080/TCP");

        Assert.Equal("Final verdict: DENIED", byAddress.OutputLines[^1]);
        Assert.Contains("POLICY_DENY)", byAddress.Output, StringComparison.Ordinal);
        Assert.Equal("Final verdict: DENIED", byEntity.OutputLines[^1]);
        Assert.Contains("POLICY_DENY)", byEntity.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_ExternalPrefix_IsMatchedByCidrRulesOnItsPort()
    {
        var allowed = Trace("--src-ip", "10.10.0.2", "--dst-ip", "192.0.2.10", "--dport", "443/TCP", "--endpoints", _endpoints);
        var wrongPort = Trace("--src-ip", "10.10.0.2", "--dst-ip", "192.0.2.10", "--dport", "80/TCP", "--endpoints", _endpoints);
        var elsewhere = Trace("--src-ip", "10.10.0.2", "--dst-ip", "203.0.113.1", "--dport", "443/TCP", "--endpoints", _endpoints);

        Assert.Equal("Final verdict: ALLOWED", allowed.OutputLines[^1]);
        Assert.Equal("Final verdict: DENIED", wrongPort.OutputLines[^1]);
        Assert.Equal("Final verdict: DENIED", elsewhere.OutputLines[^1]);
    }

    [Fact]
    public void Trace_IcmpType_IsMatchedByIcmpRules()
    {
        var echo = Trace("--src", "app=other", "--dst", "app=api", "-n", "shop", "--dport", "8/ICMP");
        var timestamp = Trace("--src", "app=other", "--dst", "app=api", "-n", "shop", "--dport", "13/ICMP");

        Assert.Equal("Final verdict: ALLOWED", echo.OutputLines[^1]);
        Assert.Equal("Final verdict: DENIED", timestamp.OutputLines[^1]);
    }

    [Fact]
    public void Trace_KubernetesNetworkPolicy_NamespaceSelectorUsesTheNamespaceNameLabel()
    {
        // db in shop admits 5432/TCP from any pod of namespace ops (every namespace carries
        // kubernetes.io/metadata.name=<name>), and nothing else: the policy selects db for ingress.
        string dir = Path.GetDirectoryName(_dir.Write("k8s/db.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-ops, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              policyTypes: [Ingress]
              ingress:
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
                  ports: [{protocol: TCP, port: 5432}]
            """))!;

        CliRun Run(string srcNamespace, string port) => CliRun.InProcess("policy", "trace", "--policies", dir,
            "--src", "app=backup", "--src-namespace", srcNamespace, "--dst", "app=db", "--dst-namespace", "shop", "--dport", port);

        Assert.Equal("Final verdict: ALLOWED", Run("ops", "5432/TCP").OutputLines[^1]);
        Assert.Equal("Final verdict: DENIED", Run("shop", "5432/TCP").OutputLines[^1]);
        Assert.Equal("Final verdict: DENIED", Run("ops", "5432/UDP").OutputLines[^1]);
        Assert.Contains("db-from-ops", Run("ops", "5432/TCP").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_InvalidPolicies_ExitOneWithTheirErrors()
    {
        string bad = _dir.Write("bad/p.yaml", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec:\n  endpointSelector: {}\n  ingress: [{fromEntities: [galaxy]}]\n");

        var run = CliRun.InProcess("policy", "trace", "--src", "a=b", "--dst", "c=d", "--policies", Path.GetDirectoryName(bad)!);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{bad}:6:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Final verdict", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_InvalidEndpointsFile_ExitsOneWithLineAndColumn()
    {
        string bad = _dir.Write("bad-endpoints.yaml", "endpoints:\n  - name: a\n    adresses: [10.0.0.1]\n");

        var run = Trace("--src-ip", "10.0.0.1", "--dst", "app=api", "--endpoints", bad);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{bad}:3:5: error: endpoints[0].adresses: unknown key 'adresses'", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--src", "app=a", "--src-ip", "10.0.0.1", "--dst", "app=b")]
    [InlineData("--dst", "app=b")]
    [InlineData("--src", "app=a")]
    [InlineData("--src", "app=a", "--dst", "app=b", "--dport", "80/GRE")]
    [InlineData("--src", "app=a", "--dst", "app=b", "--dport", "70000")]
    [InlineData("--src-ip", "10.0.0.300", "--dst", "app=b")]
    [InlineData("--src", "app=a,,b=c", "--dst", "app=b")]
    [InlineData("--src", "reserved:galaxy", "--dst", "app=b")]
    [InlineData("--src", "app=a,k8s:io.kubernetes.pod.namespace=x", "--src-namespace", "y", "--dst", "app=b")]
    public void Trace_BadArguments_ExitOneWithAnErrorOnStderr(params string[] args)
    {
        var run = Trace(args);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Trace_MissingPolicyDirectory_ExitsOne()
    {
        string missing = Path.Combine(_dir.Path, "none");

        var run = CliRun.InProcess("policy", "trace", "--src", "a=b", "--dst", "c=d", "--policies", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(missing, run.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private CliRun Trace(params string[] args) => CliRun.InProcess(["policy", "trace", "--policies", _policies, .. args]);
}
