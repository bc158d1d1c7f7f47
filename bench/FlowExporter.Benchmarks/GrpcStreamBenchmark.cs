using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Api.Observer;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Observer;
using Sluice.FlowExporter.Sinks;

namespace Sluice.FlowExporter.Benchmarks;

/// <summary>
/// GetFlows to one Grpc.Net.Client client over a unix socket, served by ObserverService on Kestrel: the
/// ring is filled with enriched flows, then the client asks for all of them and the time until the last
/// one arrives is measured. Includes conversion to flow.Flow, protobuf encoding, HTTP/2 framing and the
/// client's decoding, all on this machine's two CPUs.
/// </summary>
internal static class GrpcStreamBenchmark
{
    public static async Task<int> Run(string[] args)
    {
        int flows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        string directory = Directory.CreateTempSubdirectory("slc-grpc-bench-").FullName;
        string socket = Path.Combine(directory, "hubble.sock");
        try
        {
            var ring = new FlowRing(flows);
            ring.Consume(EnrichedFlows(flows));
            var service = new ObserverService(ring, new FlowConversionContext("bench", "0.1.0"), TimeProvider.System);

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket, l => l.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc(o => o.MaxSendMessageSize = null);
            builder.Services.AddSingleton(service);
            await using var app = builder.Build();
            app.MapGrpcService<ObserverService>();
            await app.StartAsync();

            // The client runs in its own process so the server's CPU time can be told apart from the client's.
            var client = new Process
            {
                StartInfo = new ProcessStartInfo(Environment.ProcessPath!)
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                },
            };
            foreach (string arg in (string[])[Environment.GetCommandLineArgs()[0], "grpc-client", socket, flows.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture)])
            {
                client.StartInfo.ArgumentList.Add(arg);
            }

            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) != "dotnet")
            {
                client.StartInfo.ArgumentList.RemoveAt(0);
            }

            client.Start();
            string? line = await client.StandardOutput.ReadLineAsync();
            if (line != "warm")
            {
                Console.Error.WriteLine($"client did not start: {line}");
                return 1;
            }

            double cpuStart = CpuClock.ProcessSeconds();
            await client.StandardInput.WriteLineAsync("go");
            await client.StandardInput.FlushAsync();
            var rows = new List<string>();
            while (await client.StandardOutput.ReadLineAsync() is { } row)
            {
                rows.Add(row);
            }

            await client.WaitForExitAsync();
            double serverCpu = CpuClock.ProcessSeconds() - cpuStart;
            await app.StopAsync();
            if (client.ExitCode != 0)
            {
                Console.Error.WriteLine($"client failed: {string.Join(Environment.NewLine, rows)}");
                return 1;
            }

            double serverNsPerFlow = serverCpu * 1e9 / ((double)flows * rounds);
            Console.WriteLine();
            Console.WriteLine($"GetFlows stream, {flows:N0} flows per round to one Grpc.Net.Client client in another process over a unix socket ({Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription})");
            Console.WriteLine();
            Console.WriteLine("| Round | Flows/s received | Payload MB/s |");
            Console.WriteLine("|---:|---:|---:|");
            foreach (string row in rows)
            {
                Console.WriteLine(row);
            }

            Console.WriteLine();
            Console.WriteLine($"Server CPU per flow: {serverNsPerFlow:F0} ns, i.e. {1e9 / serverNsPerFlow:N0} flows/s per server core.");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The client half, run as a child process: warm up, wait for "go", stream the rounds, print a row each.</summary>
    public static async Task<int> RunClient(string[] args)
    {
        string socket = args[0];
        int flows = int.Parse(args[1], CultureInfo.InvariantCulture);
        int rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, token) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), token);
                    return new NetworkStream(s, ownsSocket: true);
                },
            },
        });
        var client = new Sluice.Api.Observer.Observer.ObserverClient(channel);
        await ReceiveAsync(client, 50_000);
        Console.WriteLine("warm");
        if (Console.ReadLine() != "go")
        {
            return 1;
        }

        for (int round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            var (count, bytes) = await ReceiveAsync(client, flows);
            watch.Stop();
            if (count != flows)
            {
                Console.WriteLine($"received {count} of {flows} flows");
                return 1;
            }

            Console.WriteLine($"| {round + 1} | {count / watch.Elapsed.TotalSeconds:N0} | {bytes / watch.Elapsed.TotalSeconds / 1e6:F1} |");
        }

        return 0;
    }

    private static async Task<(long Count, long Bytes)> ReceiveAsync(Sluice.Api.Observer.Observer.ObserverClient client, int number)
    {
        using var call = client.GetFlows(new GetFlowsRequest { Number = (ulong)number });
        long count = 0;
        long bytes = 0;
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            count++;
            bytes += response.CalculateSize();
        }

        return (count, bytes);
    }

    private static FlowEvent[] EnrichedFlows(int count)
    {
        const int distinct = 1 << 16;
        byte[] records = Workload.Records(distinct, 0);
        var enricher = Workload.Enricher();
        var flows = new FlowEvent[count];
        for (int i = 0; i < count; i++)
        {
            FlowRecordDecoder.Decode(records.AsSpan((i & (distinct - 1)) * FlowRecord.Size, FlowRecord.Size), 0, out flows[i]);
            flows[i].Sequence = (ulong)i + 1;
            FlowEnrichment.Enrich(ref flows[i], enricher);
        }

        return flows;
    }
}
