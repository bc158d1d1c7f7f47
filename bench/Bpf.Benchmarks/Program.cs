using Sluice.Bpf.Benchmarks;

// Each benchmark prints its figures as a table; none of them is a timed test.
// Usage: dotnet run -c Release --project bench/Bpf.Benchmarks -- <benchmark> [options]
var benchmarks = new SortedDictionary<string, (string Description, Func<string[], int> Run)>(StringComparer.Ordinal)
{
    ["datapath"] = ("per-packet cost of the tc datapath via BPF_PROG_TEST_RUN (ns/packet)", DatapathBenchmark.Run),
    ["ringbuf"] = ("ring-buffer drain rate of each reader (M events/s, one core)", RingBufferDrainBenchmark.Run),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine(args.Length == 0 ? "No benchmark named." : $"Unknown benchmark '{args[0]}'.");
    Console.Error.WriteLine("Usage: Sluice.Bpf.Benchmarks <benchmark> [options]");
    foreach (var (name, (description, _)) in benchmarks)
    {
        Console.Error.WriteLine($"  {name,-10} {description}");
    }

    return 2;
}

return benchmark.Run(args[1..]);
