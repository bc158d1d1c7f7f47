using Sluice.FlowExporter.Benchmarks;

// Each benchmark prints its figures as a table; none of them is a timed test.
// Usage: dotnet run -c Release --project bench/FlowExporter.Benchmarks -- <benchmark> [options]
var benchmarks = new SortedDictionary<string, (string Description, Func<string[], Task<int>> Run)>(StringComparer.Ordinal)
{
    ["convert"] = ("per-flow cost of flow.Flow conversion, protobuf encode/decode and the JSON line (ns)", ConvertBenchmark.Run),
    ["decode"] = ("kernel flow records -> decoded events on one thread (M events/s)", DecodeBenchmark.Run),
    ["pipeline"] = ("full pipeline decode+enrich+metrics+ring: peak rate and loss at a paced 1 M events/s", PipelineBenchmark.Run),
    ["grpc"] = ("GetFlows stream to one client over a unix socket (flows/s)", GrpcStreamBenchmark.Run),
    ["grpc-client"] = ("(internal) the client process of the grpc benchmark", GrpcStreamBenchmark.RunClient),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine(args.Length == 0 ? "No benchmark named." : $"Unknown benchmark '{args[0]}'.");
    Console.Error.WriteLine("Usage: Sluice.FlowExporter.Benchmarks <benchmark> [options]");
    foreach (var (name, (description, _)) in benchmarks)
    {
        Console.Error.WriteLine($"  {name,-10} {description}");
    }

    return 2;
}

return await benchmark.Run(args[1..]);
