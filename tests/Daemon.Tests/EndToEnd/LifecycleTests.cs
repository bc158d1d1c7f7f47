using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>
/// Policy changes, rejected files, endpoint removal, audit mode and start-up failures, each on its own
/// small topology (web and db endpoints in namespace shop) with a real sluiced.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class LifecycleTests
{
    private const string DbAllows5432 = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: db-ingress, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: db}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: web}}]
              toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
        """;

    private static Topology WebAndDb(string? dbExtra = null, string configExtra = "")
    {
        var t = new Topology("web", "db");
        File.WriteAllText(t.EndpointsFile, "endpoints:\n"
            + t.EndpointEntry("web", "shop", "app: web")
            + t.EndpointEntry("db", "shop", "app: db", dbExtra));
        t.WriteConfig(configExtra);
        t.WritePolicy("db.yaml", DbAllows5432);
        t.Serve("db", 5432, 80);
        return t;
    }

    [Fact]
    public void PolicyFileChanged_NewPolicyEnforcedWithinOneSecond()
    {
        using var t = WebAndDb();
        using var daemon = new DaemonProcess(t);
        daemon.WaitReady();
        string db = t.Peers["db"].V4;
        Assert.False(t.Tcp("web", db, 80));

        ulong revision = daemon.Status().PolicyRevision;

        // Timed to the pass that wrote the maps (the revision moves only after every endpoint's slot flip);
        // a probe of the denied port would itself take a full connect timeout.
        var watch = Stopwatch.StartNew();
        t.WritePolicy("db.yaml", DbAllows5432.Replace("\"5432\"", "\"80\"", StringComparison.Ordinal));
        DaemonProcess.WaitUntil(() => daemon.Status().PolicyRevision > revision, TimeSpan.FromSeconds(5), "new revision");
        var elapsed = watch.Elapsed;

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"new policy took {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(t.Tcp("web", db, 80));
        Assert.False(t.Tcp("web", db, 5432));
    }

    [Fact]
    public void InvalidPolicyFile_PreviousPolicyStaysAndStatusShowsTheErrors()
    {
        using var t = WebAndDb();
        using var daemon = new DaemonProcess(t);
        daemon.WaitReady();
        string db = t.Peers["db"].V4;
        ulong revision = daemon.Status().PolicyRevision;

        t.WritePolicy("db.yaml", DbAllows5432.Replace("port: \"5432\"", "port: \"5432\", endPort: 10", StringComparison.Ordinal));
        var status = daemon.Status();
        DaemonProcess.WaitUntil(() => (status = daemon.Status()).RejectedFiles.Count > 0, TimeSpan.FromSeconds(5), "file rejected");

        var rejected = Assert.Single(status.RejectedFiles);
        Assert.EndsWith("db.yaml", rejected.Path, StringComparison.Ordinal);
        Assert.Contains(rejected.Errors, e => e.Line == 8 && e.Message.Contains("endPort", StringComparison.Ordinal));
        Assert.Equal(revision, status.PolicyRevision);
        Assert.True(t.Tcp("web", db, 5432));
        Assert.False(t.Tcp("web", db, 80));
    }

    [Fact]
    public void InvalidEndpointsFile_PreviousEndpointsStayAndStatusShowsTheError()
    {
        using var t = WebAndDb();
        using var daemon = new DaemonProcess(t);
        daemon.WaitReady();

        File.WriteAllText(t.EndpointsFile, "endpoints:\n" + t.EndpointEntry("web", "shop", "app: web") + t.EndpointEntry("db", "shop", "app: web-again").Replace("name: db", "name: web", StringComparison.Ordinal));
        var status = daemon.Status();
        DaemonProcess.WaitUntil(() => (status = daemon.Status()).RejectedFiles.Count > 0, TimeSpan.FromSeconds(5), "endpoints file rejected");

        var rejected = Assert.Single(status.RejectedFiles);
        Assert.Equal(t.EndpointsFile, rejected.Path);
        Assert.Contains(rejected.Errors, e => e.Line == 3 && e.Message.Contains("endpoint name 'web' is already used", StringComparison.Ordinal));
        Assert.Equal(["db", "web"], status.Endpoints.Select(e => e.Name).Order());
        Assert.False(t.Tcp("web", t.Peers["db"].V4, 80));
        Assert.True(t.Tcp("web", t.Peers["db"].V4, 5432));
    }

    [Fact]
    public void EndpointRelabelled_NewIdentityAndPolicyApplyWithoutRestart()
    {
        using var t = WebAndDb();
        using var daemon = new DaemonProcess(t);
        daemon.WaitReady();
        uint before = daemon.Status().Endpoints.Single(e => e.Name == "web").Identity;
        Assert.True(t.Tcp("web", t.Peers["db"].V4, 5432));

        File.WriteAllText(t.EndpointsFile, "endpoints:\n" + t.EndpointEntry("web", "shop", "app: batch") + t.EndpointEntry("db", "shop", "app: db"));
        DaemonProcess.WaitUntil(() => daemon.Status().Endpoints.Single(e => e.Name == "web").Identity != before, TimeSpan.FromSeconds(5), "relabel");

        Assert.False(t.Tcp("web", t.Peers["db"].V4, 5432));
    }

    [Fact]
    public void EndpointRemoved_ProgramsDetachedAndTrafficUnenforced()
    {
        using var t = WebAndDb();
        using var daemon = new DaemonProcess(t);
        daemon.WaitReady();
        string dbInterface = t.Peers["db"].HostInterface;
        Assert.Contains("sluice_to_endpo", TcFilters(t, dbInterface, "egress"), StringComparison.Ordinal);
        Assert.False(t.Tcp("web", t.Peers["db"].V4, 80));

        File.WriteAllText(t.EndpointsFile, "endpoints:\n" + t.EndpointEntry("web", "shop", "app: web"));
        DaemonProcess.WaitUntil(() => !TcFilters(t, dbInterface, "egress").Contains(" bpf ", StringComparison.Ordinal)
            && !TcFilters(t, dbInterface, "ingress").Contains(" bpf ", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "db detached");

        Assert.DoesNotContain(daemon.Status().Endpoints, e => e.Name == "db");
        Assert.True(t.Tcp("web", t.Peers["db"].V4, 80));
        Assert.Contains("sluice_from_end", TcFilters(t, t.Peers["web"].HostInterface, "ingress"), StringComparison.Ordinal);
    }

    [Fact]
    public void AuditEndpoint_NothingDroppedAndAuditFlowNamesTheDenyingPolicy()
    {
        using var t = WebAndDb(dbExtra: "policyMode: audit");
        t.WritePolicy("deny.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: db-deny-web, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: db}}
              ingressDeny:
                - fromEndpoints: [{matchLabels: {app: web}}]
                  toPorts: [{ports: [{port: "80", protocol: TCP}]}]
            """);
        using var daemon = new DaemonProcess(t);
        daemon.WaitReady();

        Assert.True(t.Tcp("web", t.Peers["db"].V4, 80));
        Assert.Equal(global::Sluice.Api.Admin.EnforcementMode.Audit, daemon.Status().Endpoints.Single(e => e.Name == "db").IngressEnforcement);
        Thread.Sleep(1000);
        daemon.Stop();

        var flows = File.ReadLines(t.FlowLog).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("flow")).ToList();
        Assert.DoesNotContain(flows, f => f.GetProperty("verdict").GetString() == "DROPPED");
        var audits = flows.Where(f => f.GetProperty("verdict").GetString() == "AUDIT"
            && f.GetProperty("l4").TryGetProperty("TCP", out var tcp) && tcp.GetProperty("destination_port").GetInt32() == 80).ToList();
        Assert.Contains(audits, f => f.GetProperty("l4").GetProperty("TCP").GetProperty("flags").TryGetProperty("SYN", out _));
        Assert.All(audits, a => Assert.Contains(a.GetProperty("ingress_denied_by").EnumerateArray(), p => p.GetProperty("name").GetString() == "db-deny-web"));
    }

    [Fact]
    public void GlobalAuditMode_DefaultDenyDoesNotDrop()
    {
        using var t = WebAndDb();
        File.WriteAllText(t.ConfigFile, File.ReadAllText(t.ConfigFile).Replace("policy:\n", "policy:\n  auditMode: true\n", StringComparison.Ordinal));
        using var daemon = new DaemonProcess(t);
        daemon.WaitReady();

        Assert.True(t.Tcp("web", t.Peers["db"].V4, 80));
        Assert.True(daemon.Status().AuditMode);
    }

    [Fact]
    public void InvalidConfig_ExitsWithCodeTwoNamingTheLine()
    {
        using var t = new Topology();
        t.WriteConfig("flows2: {}\n");
        using var daemon = new DaemonProcess(t);
        DaemonProcess.WaitUntil(() => daemon.HasExited, TimeSpan.FromSeconds(20), "sluiced exit");

        Assert.Equal(2, daemon.ExitCode);
        Assert.Matches(@"sluice\.yaml:1\d:1: flows2: unknown key 'flows2'", daemon.Output);
    }

    [Fact]
    public void PinDirNotOnBpffs_ExitsWithCodeOneAndSaysSo()
    {
        using var t = new Topology();
        t.WriteConfig();
        File.WriteAllText(t.ConfigFile, File.ReadAllText(t.ConfigFile).Replace(t.PinDir, Path.Combine(t.Dir, "not-bpffs"), StringComparison.Ordinal));
        using var daemon = new DaemonProcess(t);
        DaemonProcess.WaitUntil(() => daemon.HasExited, TimeSpan.FromSeconds(20), "sluiced exit");

        Assert.Equal(1, daemon.ExitCode);
        Assert.Contains("is not on a bpf file system", daemon.Output, StringComparison.Ordinal);
    }

    internal static string TcFilters(Topology t, string device, string direction) =>
        Shell.Run("ip", "netns", "exec", t.Router, "tc", "filter", "show", "dev", device, direction).Output;
}
