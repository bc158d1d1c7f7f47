using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Sluice.Api.Observer;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Benchmarks;

/// <summary>
/// Per-flow cost of the steps behind every GetFlows message and flow-log line, on one thread pinned to
/// CPU 0: FlowEvent → flow.Flow, protobuf encoding, protobuf decoding (what a client pays) and the
/// Hubble-JSON line.
/// </summary>
internal static class ConvertBenchmark
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    public static Task<int> Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        CpuClock.PinThreadToCpu0();
        var flows = Enriched(count);
        var context = new FlowConversionContext("bench", "0.1.0");
        var responses = flows.Select(f => new GetFlowsResponse { Flow = FlowProtoConverter.ToProto(f, context), NodeName = "bench" }).ToArray();
        var encoded = responses.Select(r => r.ToByteArray()).ToArray();
        long sink = 0;

        var steps = new (string Name, Action<int> Step)[]
        {
            ("FlowEvent -> flow.Flow", i => sink += FlowProtoConverter.ToProto(flows[i], context).Uuid.Length),
            ("protobuf encode GetFlowsResponse", i => sink += responses[i].ToByteArray().Length),
            ("protobuf decode GetFlowsResponse", i => sink += GetFlowsResponse.Parser.ParseFrom(encoded[i]).NodeName.Length),
            ("Google.Protobuf JsonFormatter alone", i => sink += Formatter.Format(responses[i]).Length),
            ("Hubble JSON line (JsonpbFormatter, direct writer)", i => sink += JsonpbFormatter.FormatMessage(responses[i]).Length),
        };

        Console.WriteLine();
        Console.WriteLine($"Per-flow conversion costs, {count:N0} flows, one thread pinned to CPU 0");
        Console.WriteLine();
        Console.WriteLine("| Step | ns per flow (CPU time, best of 5) | Flows/s per core |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, step) in steps)
        {
            double best = double.MaxValue;
            for (int round = 0; round < 6; round++)
            {
                double start = CpuClock.ThreadSeconds();
                for (int i = 0; i < count; i++)
                {
                    step(i);
                }

                double ns = (CpuClock.ThreadSeconds() - start) * 1e9 / count;
                if (round > 0)
                {
                    best = Math.Min(best, ns);
                }
            }

            Console.WriteLine($"| {name} | {best:F0} | {1e9 / best:N0} |");
        }

        GC.KeepAlive(sink);
        return Task.FromResult(0);
    }

    internal static FlowEvent[] Enriched(int count)
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
