using System.Collections.Concurrent;
using Xunit;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>Enforcement across a SIGKILL and restart under traffic (DESIGN §5).</summary>
[Collection(EndToEndGroup.Name)]
public sealed class RestartTests
{
    [Fact]
    public async Task SigkillUnderTraffic_NoDeniedConnectionSucceedsAndNoAllowedOneFails()
    {
        using var t = new Topology("web", "db");
        File.WriteAllText(t.EndpointsFile, "endpoints:\n" + t.EndpointEntry("web", "shop", "app: web") + t.EndpointEntry("db", "shop", "app: db"));
        t.WriteConfig();
        t.WritePolicy("db.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: db-ingress, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: db}}
              ingress:
                - fromEndpoints: [{matchLabels: {app: web}}]
                  toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
            """);
        t.Serve("db", 5432, 80);
        string db = t.Peers["db"].V4;
        var outcomes = new ConcurrentQueue<(string Probe, bool Expected, bool Actual)>();
        using var stop = new CancellationTokenSource();

        var first = new DaemonProcess(t);
        first.WaitReady();
        var traffic = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                outcomes.Enqueue(("tcp/5432", true, t.Tcp("web", db, 5432)));
                outcomes.Enqueue(("tcp/80", false, t.Tcp("web", db, 80)));
            }
        });
        Thread.Sleep(1000);
        first.Kill();
        first.Dispose();
        Thread.Sleep(1500);
        using var second = new DaemonProcess(t);
        second.WaitReady();
        Thread.Sleep(1500);
        stop.Cancel();
        await traffic;

        var wrong = outcomes.Where(o => o.Expected != o.Actual).ToList();
        Assert.True(outcomes.Count(o => o.Expected) >= 5, $"only {outcomes.Count} probes ran");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {outcomes.Count} probes got the wrong verdict: {string.Join(", ", wrong.Select(w => w.Probe))}");
        Assert.Contains("re-adopted maps: sluice_endpoints, sluice_ipcache, sluice_policy", second.Output, StringComparison.Ordinal);
        Assert.Contains("sluice_from_end", LifecycleTests.TcFilters(t, t.Peers["db"].HostInterface, "ingress"), StringComparison.Ordinal);
    }
}
