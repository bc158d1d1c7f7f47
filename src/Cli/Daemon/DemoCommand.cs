using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sluice.Api.Admin;

namespace Sluice.Cli.Daemon;

/// <summary>
/// <c>sluice demo</c> (DESIGN §6): builds a small shop (frontend, api, db, plus an outside peer) in network
/// namespaces, writes endpoints and policies, starts sluiced against them, drives allowed and denied TCP,
/// UDP and ICMP while printing the flows as they happen, shows status and metrics, runs db in audit mode,
/// then removes everything it created — also on Ctrl-C. Needs root, iproute2, socat and ping.
/// </summary>
internal static class DemoCommand
{
    private const string Policies = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api-from-frontend, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: api}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: frontend}}]
              toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
            - fromEndpoints: [{matchLabels: {app: frontend}}]
              icmps: [{fields: [{type: 8, family: IPv4}]}]
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: db-from-api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: db}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: api}}]
              toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
          ingressDeny:
            - fromEndpoints: [{matchLabels: {app: frontend}}]
        """;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var daemonPath = new Option<string>("--sluiced")
        {
            Description = "Path of sluiced (or sluiced.dll); default: beside sluice, then the build output, then PATH.",
        };
        var command = new Command("demo", "Run a self-contained demo: namespaces, policies, real traffic and its flows; cleans up afterwards.") { daemonPath };
        command.SetAction((parseResult, cancellationToken) =>
            Task.FromResult(Run(parseResult.GetValue(daemonPath), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken)));
        return command;
    }

    /// <summary>Runs the demo; returns the exit code.</summary>
    public static int Run(string? daemonPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root")
        {
            error.WriteLine("sluice demo: needs root (it creates network namespaces and loads eBPF programs)");
            return 1;
        }

        string? daemon = daemonPath ?? FindDaemon();
        if (daemon is null || !File.Exists(daemon))
        {
            error.WriteLine("sluice demo: sluiced not found; pass --sluiced PATH (build it with 'dotnet build src/Daemon')");
            return 1;
        }

        using var network = new DemoNetwork();
        using var registration = cancellationToken.Register(network.Dispose);
        try
        {
            return Play(network, daemon, output, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                error.WriteLine("sluice demo: interrupted; cleaned up");
                return 130;
            }

            error.WriteLine($"sluice demo: {ex.Message}");
            return 1;
        }
        finally
        {
            output.WriteLine();
            output.WriteLine("Cleaning up: daemon stopped, namespaces and pins removed.");
        }
    }

    private static int Play(DemoNetwork net, string daemon, TextWriter output, CancellationToken cancellationToken)
    {
        Step(output, 1, "Creating namespaces: frontend, api, db (namespace shop) and an outside peer, joined to a router namespace");
        net.CreateRouter();
        net.AddPeer("frontend", 1);
        net.AddPeer("api", 2);
        net.AddPeer("db", 3);
        net.AddPeer("outside", 4);
        WriteEndpoints(net, dbAudit: false);
        File.WriteAllText(Path.Combine(net.Dir, "policies", "shop.yaml"), Policies);
        string socket = Path.Combine(net.Dir, "hubble.sock");
        File.WriteAllText(Path.Combine(net.Dir, "sluice.yaml"), string.Join('\n',
            "nodeName: demo",
            $"stateDir: {net.Dir}/state",
            $"bpfPinDir: {net.Dir}/bpffs/sluice",
            $"endpointsFile: {net.Dir}/endpoints.yaml",
            $"policy: {{dirs: [{net.Dir}/policies]}}",
            $"flows: {{log: {{path: {net.Dir}/flows.jsonl}}}}",
            $"grpc: {{socket: {socket}}}"));
        net.ServeTcp("api", 8080);
        net.ServeTcp("api", 9090);
        net.ServeUdp("api", 5353);
        net.ServeTcp("db", 5432);
        output.WriteLine(Policies.Replace("\n", "\n    ", StringComparison.Ordinal).Insert(0, "    "));

        Step(output, 2, "Starting sluiced (flows are printed as they happen)");
        string[] command = daemon.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", daemon] : [daemon];
        var process = net.Start("ip", ["netns", "exec", net.Router, .. command, "--config", Path.Combine(net.Dir, "sluice.yaml"), "--print-flows"]);
        var ready = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("sluiced ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
            else if (e.Data?.Contains("cannot start", StringComparison.Ordinal) == true)
            {
                ready.TrySetException(new InvalidOperationException(e.Data));
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (output)
                {
                    output.WriteLine("    flow  " + line);
                }
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        ready.Task.Wait(TimeSpan.FromSeconds(30), cancellationToken);
        if (!ready.Task.IsCompletedSuccessfully)
        {
            throw new TimeoutException("sluiced did not become ready within 30 s");
        }

        Step(output, 3, "Driving traffic");
        Probe(output, "frontend -> api  tcp/8080 (allowed by api-from-frontend)", net.Tcp("frontend", "api", 8080));
        Probe(output, "frontend -> api  tcp/9090 (no rule: default deny)", net.Tcp("frontend", "api", 9090));
        Probe(output, "frontend -> api  udp/5353 (no rule: default deny)", net.Udp("frontend", "api", 5353));
        Probe(output, "frontend -> api  ping     (icmp echo allowed)", net.Ping("frontend", "api"));
        Probe(output, "outside  -> api  ping     (world not allowed)", net.Ping("outside", "api"));
        Probe(output, "api      -> db   tcp/5432 (allowed by db-from-api)", net.Tcp("api", "db", 5432));
        Probe(output, "frontend -> db   tcp/5432 (explicit deny)", net.Tcp("frontend", "db", 5432));
        Thread.Sleep(500);

        Step(output, 4, "Status (sluice status)");
        using (var channel = DaemonConnection.Open("unix://" + socket))
        {
            lock (output)
            {
                StatusCommand.Write(new Admin.AdminClient(channel).Status(new StatusRequest(), cancellationToken: cancellationToken), output);
            }
        }

        Step(output, 5, "Metrics (a few of /metrics)");
        var (_, metrics) = DemoNetwork.Capture(10, "ip", "netns", "exec", net.Router, "curl", "-s", "http://127.0.0.1:9965/metrics");
        foreach (var line in metrics.Split('\n').Where(l => l.StartsWith("hubble_drop_total", StringComparison.Ordinal)
            || l.StartsWith("hubble_policy_verdicts_total", StringComparison.Ordinal) || l.StartsWith("sluice_policy_revision", StringComparison.Ordinal)))
        {
            output.WriteLine("    " + line.TrimEnd());
        }

        Step(output, 6, "Audit mode: db switches to policyMode: audit — the deny is reported, not enforced");
        WriteEndpoints(net, dbAudit: true);
        Thread.Sleep(1500);
        Probe(output, "frontend -> db   tcp/5432 (would be denied: verdict AUDIT)", net.Tcp("frontend", "db", 5432));
        Thread.Sleep(1000);
        return 0;
    }

    private static void WriteEndpoints(DemoNetwork net, bool dbAudit)
    {
        string Entry(string name, string extra = "") =>
            $"  - {{name: {name}, namespace: shop, interface: {net.Peers[name].HostInterface}, addresses: [{net.Peers[name].Address}], labels: {{app: {name}}}{extra}}}\n";
        string text = "endpoints:\n" + Entry("frontend") + Entry("api") + Entry("db", dbAudit ? ", policyMode: audit" : string.Empty);
        string temp = Path.Combine(net.Dir, "endpoints.tmp");
        File.WriteAllText(temp, text);
        File.Move(temp, Path.Combine(net.Dir, "endpoints.yaml"), overwrite: true);
    }

    private static void Step(TextWriter output, int number, string title)
    {
        lock (output)
        {
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{number}/6] {title}"));
        }
    }

    private static void Probe(TextWriter output, string what, bool connected)
    {
        lock (output)
        {
            output.WriteLine($"  {what}: {(connected ? "CONNECTED" : "BLOCKED")}");
        }
    }

    private static string? FindDaemon()
    {
        string here = AppContext.BaseDirectory;
        string configuration = new DirectoryInfo(here).Parent?.Name ?? "Debug";
        string[] candidates =
        [
            Path.Combine(here, "sluiced"),
            Path.Combine(here, "sluiced.dll"),
            Path.GetFullPath(Path.Combine(here, "../../../../Daemon/bin", configuration, "net10.0/sluiced.dll")),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
                .Select(dir => Path.Combine(dir, "sluiced")).FirstOrDefault(File.Exists);
    }
}
