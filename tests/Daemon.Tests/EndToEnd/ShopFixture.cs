using System.Text.Json;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>
/// The shop topology of the reachability tests, set up once: endpoints frontend, api, db (namespace shop)
/// and admin (namespace ops), an outside peer that is not an endpoint (world, two addresses), and the router
/// namespace as the host. Policies cover L3 selectors, L4 ports and a port range, UDP, ICMP and ICMPv6, an
/// ingress deny, CIDR with except, entities host and world, default deny per direction, a namespaced policy
/// vs a clusterwide one, and a Kubernetes NetworkPolicy. The whole matrix is probed once, then sluiced is
/// stopped so the flow log is complete; tests assert on the recorded results.
/// </summary>
public sealed class ShopFixture : IDisposable
{
    public ShopFixture()
    {
        Topology = new Topology("frontend", "api", "db", "admin");
        try
        {
            var t = Topology;
            var outside = t.AddPeer("outside", 5);
            OutsideExcepted = $"10.{t.Net}.5.200";
            Shell.Check("ip", "-n", outside.Netns, "addr", "add", OutsideExcepted + "/24", "dev", "eth0");
            File.WriteAllText(t.EndpointsFile, "endpoints:\n"
                + t.EndpointEntry("frontend", "shop", "app: frontend, tier: web")
                + t.EndpointEntry("api", "shop", "app: api")
                + t.EndpointEntry("db", "shop", "app: db")
                + t.EndpointEntry("admin", "ops", "app: admin")
                + $"external:\n  - {{cidr: 10.{t.Net}.5.0/25, labels: {{app: partner}}}}\n");
            t.WriteConfig();
            WritePolicies(t);

            t.Serve("api", 8080, 9090);
            t.ServeUdp("api", 5353);
            t.Serve("db", 5432, 5433, 5434);
            t.Serve("admin", 9000, 9001);
            t.Serve("frontend", 8080);
            t.Serve("outside", 80, 81);
            Topology.ServeInRouter(t, 7000);

            using var daemon = new DaemonProcess(t);
            daemon.WaitReady();
            Status = daemon.Status();
            Results = Probe(t);
            Thread.Sleep(1500);
            StopExitCode = daemon.Stop();
            DaemonOutput = daemon.Output;
            Flows = File.ReadLines(t.FlowLog).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("flow").Clone()).ToList();
        }
        catch
        {
            Topology.Dispose();
            throw;
        }
    }

    internal Topology Topology { get; }

    internal string OutsideExcepted { get; }

    internal Sluice.Api.Admin.StatusResponse Status { get; }

    /// <summary>(description, expected, actual) for every probe of the matrix.</summary>
    internal IReadOnlyList<(string Probe, bool Expected, bool Actual)> Results { get; }

    internal int StopExitCode { get; }

    internal string DaemonOutput { get; }

    internal IReadOnlyList<JsonElement> Flows { get; }

    public void Dispose() => Topology.Dispose();

    private static void WritePolicies(Topology t)
    {
        t.WritePolicy("api.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: api-ingress, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
                - fromEndpoints: [{matchLabels: {app: frontend}}]
                  toPorts: [{ports: [{port: "8080", protocol: TCP}, {port: "5353", protocol: UDP}]}]
                - fromEndpoints: [{matchLabels: {app: frontend}}]
                  icmps: [{fields: [{type: 8, family: IPv4}, {type: 128, family: IPv6}]}]
            """);
        t.WritePolicy("db.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: db-ingress, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: db}}
              ingress:
                - fromEndpoints: [{matchLabels: {app: api}}]
                  toPorts: [{ports: [{port: "5432", endPort: 5433, protocol: TCP}]}]
              ingressDeny:
                - fromEndpoints: [{matchLabels: {app: frontend}}]
            """);
        t.WritePolicy("frontend.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: frontend-egress, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: frontend}}
              egress:
                - toEndpoints: [{}]
                - toCIDRSet: [{cidr: 10.NET.5.0/24, except: [10.NET.5.128/25]}]
                - toEntities: [host]
            """.Replace("NET", t.Net.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        t.WritePolicy("admin.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata: {name: admin-egress}
            spec:
              endpointSelector: {matchLabels: {app: admin}}
              egress:
                - toEntities: [world]
                  toPorts: [{ports: [{port: "80", protocol: TCP}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: admin-from-shop, namespace: ops}
            spec:
              podSelector: {matchLabels: {app: admin}}
              policyTypes: [Ingress]
              ingress:
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]
                  ports: [{protocol: TCP, port: 9000}]
            """);
    }

    private List<(string, bool, bool)> Probe(Topology t)
    {
        var p = t.Peers;
        var results = new List<(string, bool, bool)>();
        void Tcp(string from, string to, string address, int port, bool expected) =>
            results.Add(($"{from} -> {to} {address} tcp/{port}", expected, t.Tcp(from, address, port)));

        foreach (var family in new[] { 4, 6 })
        {
            string Addr(string name) => family == 4 ? p[name].V4 : p[name].V6;

            // L3 + L4 on api (namespaced CNP): only frontend, only 8080/TCP, 5353/UDP and echo.
            Tcp("frontend", "api", Addr("api"), 8080, true);
            Tcp("frontend", "api", Addr("api"), 9090, false);
            Tcp("db", "api", Addr("api"), 8080, false);
            results.Add(($"frontend -> api {Addr("api")} udp/5353", true, t.Udp("frontend", Addr("api"), 5353)));
            results.Add(($"db -> api {Addr("api")} udp/5353", false, t.Udp("db", Addr("api"), 5353)));
            results.Add(($"frontend -> api {Addr("api")} ping", true, t.Ping("frontend", Addr("api"))));
            results.Add(($"db -> api {Addr("api")} ping", false, t.Ping("db", Addr("api"))));

            // Port range 5432-5433 from api; explicit deny of frontend beats its egress allow.
            Tcp("api", "db", Addr("db"), 5432, true);
            Tcp("api", "db", Addr("db"), 5433, true);
            Tcp("api", "db", Addr("db"), 5434, false);
            Tcp("frontend", "db", Addr("db"), 5432, false);

            // Kubernetes NetworkPolicy: from namespace shop on 9000 only.
            Tcp("api", "admin", Addr("admin"), 9000, true);
            Tcp("api", "admin", Addr("admin"), 9001, false);
            Tcp("outside", "admin", Addr("admin"), 9000, false);

            // No ingress policy selects frontend: open; db has no egress policy: open.
            Tcp("outside", "frontend", Addr("frontend"), 8080, true);
        }

        // CIDR with except (frontend egress default-deny otherwise), entities host and world (IPv4).
        Tcp("frontend", "outside", p["outside"].V4, 80, true);
        Tcp("frontend", "outside", OutsideExcepted, 80, false);
        Tcp("frontend", "host", p["frontend"].RouterV4, 7000, true);
        Tcp("admin", "outside", p["outside"].V4, 80, true);
        Tcp("admin", "outside", p["outside"].V4, 81, false);
        Tcp("admin", "host", p["admin"].RouterV4, 7000, false);
        Tcp("db", "outside", p["outside"].V4, 81, true);
        return results;
    }
}
