using System.Globalization;
using System.Net;
using Sluice.Bpf.Abi;

namespace Sluice.Bpf.Benchmarks;

/// <summary>
/// Per-packet cost of the tc datapath (bpf/sluice.bpf.c) through BPF_PROG_TEST_RUN with a large repeat count:
/// the kernel runs the program back to back on one CPU and reports the mean time per run. Scenarios:
/// an established TCP flow (IPv4 and IPv6), a new allowed flow, a new denied flow, a tracked denied flow, and
/// a packet on an interface without an endpoint (the floor). A repeated packet is one flow, so "new flow" is
/// measured two ways: a repeated SYN+FIN (each run finds the previous run's entry closing, so the SYN starts
/// a new flow: ipcache, both policy lookups, conntrack write, flow record, with warm caches), and
/// <see cref="FreshFlows"/> distinct SYNs run once each (cold caches between syscalls; the kernel's timer
/// around a single run is included). A reader thread drains the ring meanwhile, as the daemon would;
/// records it could not keep up with are reported in the "lost" column.
/// Arguments: [repeat (default 1e6)] [rounds (default 5)] [scenario name filter (substring)].
/// </summary>
internal static class DatapathBenchmark
{
    private const int LoopbackIfindex = 1;
    private const ushort EndpointId = 1;
    private const uint EndpointIdentity = 1000;
    private const uint PeerIdentity = 2000;
    private const int FreshFlows = 60_000;

    public static int Run(string[] args)
    {
        var repeat = args.Length > 0 ? uint.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000u;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var only = args.Length > 2 ? args[2] : string.Empty;
        if (repeat < 1_000_000)
        {
            Console.Error.WriteLine($"note: repeat {repeat} is below the 1e6 the figures in docs/bench-datapath.md use");
        }

        var peer4 = IPAddress.Parse("10.0.1.5");
        var local4 = IPAddress.Parse("10.0.0.2");
        var peer6 = IPAddress.Parse("fd00:1::5");
        var local6 = IPAddress.Parse("fd00::2");
        // SYN+FIN: the FIN leaves the new entry closing and the next SYN on a closing tuple starts a new flow,
        // so a repeated SYN+FIN takes the complete new-flow path on every run with warm caches.
        const byte Ack = 0x10, Syn = 0x02, SynFin = 0x03;
        var scenarios = new (string Name, bool FreshFlows, bool Endpoint, byte[] Packet)[]
        {
            ("established TCP, IPv4", false, true, Tcp(peer4, local4, 8080, Ack)),
            ("established TCP, IPv6", false, true, Tcp(peer6, local6, 8080, Ack)),
            ("new allowed flow, repeated (SYN+FIN), IPv4", false, true, Tcp(peer4, local4, 8080, SynFin)),
            ("new allowed flow, repeated (SYN+FIN), IPv6", false, true, Tcp(peer6, local6, 8080, SynFin)),
            ("new allowed flow, 60k distinct SYNs x1", true, true, Tcp(peer4, local4, 8080, Syn)),
            ("denied, new flow, repeated (SYN+FIN), IPv4", false, true, Tcp(peer4, local4, 9090, SynFin)),
            ("denied, 60k distinct SYNs x1", true, true, Tcp(peer4, local4, 9090, Syn)),
            ("denied, tracked flow (SYN retry), IPv4", false, true, Tcp(peer4, local4, 9090, Syn)),
            ("no endpoint on interface (floor)", false, false, Tcp(peer4, local4, 8080, Ack)),
        };

        Console.WriteLine($"Datapath per-packet cost, BPF_PROG_TEST_RUN repeat={repeat}, {rounds} rounds, kernel {Environment.OSVersion.Version}");
        Console.WriteLine();
        Console.WriteLine($"| {"scenario",-44} | {"median ns",9} | {"best ns",7} | {"verdict",7} | {"records",10} | {"lost",10} |");
        Console.WriteLine($"|{new string('-', 46)}|{new string('-', 11)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 12)}|{new string('-', 12)}|");
        foreach (var (name, fresh, endpoint, packet) in scenarios.Where(s => s.Name.Contains(only, StringComparison.Ordinal)))
        {
            var result = Measure(packet, fresh, endpoint, repeat, rounds);
            Console.WriteLine($"| {name,-44} | {result.MedianNs,9} | {result.BestNs,7} | {(result.Verdict == 0 ? "OK" : result.Verdict == 2 ? "SHOT" : result.Verdict.ToString(CultureInfo.InvariantCulture)),7} | {result.Records,10} | {result.Lost,10} |");
        }

        return 0;
    }

    private static (uint MedianNs, uint BestNs, uint Verdict, long Records, ulong Lost) Measure(byte[] packet, bool freshFlows, bool withEndpoint, uint repeat, int rounds)
    {
        var config = DatapathConfig.Default;
        using var bpf = BpfObject.Open(BpfObject.Locate(DatapathMaps.ObjectFileName));
        bpf.GetMap(DatapathMaps.Config).SetInitialValue(config);
        bpf.GetMap(DatapathMaps.Events).SetMaxEntries(64u << 20);
        bpf.GetMap(DatapathMaps.Conntrack).SetMaxEntries(65536);
        bpf.Load();
        if (withEndpoint)
        {
            Describe(bpf);
        }

        var program = bpf.GetProgram(DatapathMaps.ToEndpointProgram);
        var context = SkbContext.Create(ifindex: LoopbackIfindex);
        var sink = new CountingSink();
        using var reader = RingBufferReaders.Create(bpf.GetMap(DatapathMaps.Events), sink);
        using var stop = new CancellationTokenSource();
        var drainer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                reader.Poll(10);
            }
        })
        { IsBackground = true, Name = "ring drain" };
        drainer.Start();

        // Warm-up: creates the conntrack entry for the established scenarios and faults in every map.
        var verdict = program.TestRun(packet, context, 1000).ReturnValue;
        var durations = new List<uint>();
        for (var round = 0; round < rounds; round++)
        {
            durations.Add(freshFlows ? MeanOverFreshFlows(program, packet, context, round) : program.TestRun(packet, context, repeat).DurationNs);
        }

        stop.Cancel();
        drainer.Join();
        reader.Drain();
        durations.Sort();
        return (durations[durations.Count / 2], durations[0], verdict, sink.Count, SumLost(bpf));
    }

    /// <summary>Runs <see cref="FreshFlows"/> variants of <paramref name="packet"/> (source address and port
    /// unique per round and packet) once each; returns the mean kernel-measured run time.</summary>
    private static uint MeanOverFreshFlows(BpfProgram program, byte[] packet, byte[] context, int round)
    {
        var v6 = packet[12] == 0x86;
        var sourcePortOffset = 14 + (v6 ? 40 : 20);
        var sourceLastByte = 14 + (v6 ? 8 + 15 : 12 + 3);
        var variant = (byte[])packet.Clone();
        long total = 0;
        for (var i = 0; i < FreshFlows; i++)
        {
            variant[sourceLastByte] = (byte)(round + 10); // still inside the peer's /24 or /64
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(variant.AsSpan(sourcePortOffset), (ushort)(1024 + i));
            total += program.TestRun(variant, context, 1).DurationNs;
        }

        return (uint)(total / FreshFlows);
    }

    private static void Describe(BpfObject bpf)
    {
        var endpoint = new EndpointEntry
        {
            Identity = EndpointIdentity,
            EndpointId = EndpointId,
            DefaultDeny = DefaultDenyDirections.Ingress,
            PolicyRevision = 1,
        };
        bpf.GetMap(DatapathMaps.Endpoints).Update((uint)LoopbackIfindex, endpoint);
        var ipcache = bpf.GetMap(DatapathMaps.Ipcache);
        ipcache.Update(IpcacheKey.For(IPAddress.Parse("10.0.1.0"), 24), new IpcacheValue { Identity = PeerIdentity });
        ipcache.Update(IpcacheKey.For(IPAddress.Parse("fd00:1::"), 64), new IpcacheValue { Identity = PeerIdentity });
        var policy = bpf.GetMap(DatapathMaps.Policy);
        foreach (var prefix in PortRangePrefixes.Split(8000, 8100))
        {
            var key = PolicyKey.ForPortPrefix(EndpointId, 0, DatapathDirection.Ingress, PeerIdentity, 6, prefix);
            policy.Update(key, PolicyValue.Allow(key, 1));
        }

        // A deny elsewhere so that the any-identity lookup walks a populated trie too.
        var deny = PolicyKey.ForProtocol(EndpointId, 0, DatapathDirection.Ingress, PolicyKey.AnyIdentity, 17);
        policy.Update(deny, PolicyValue.DenyFor(deny, 2));
    }

    private static byte[] Tcp(IPAddress source, IPAddress destination, ushort port, byte flags)
    {
        var v6 = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var ipLength = v6 ? 40 : 20;
        var frame = new byte[14 + ipLength + 20 + 64];
        frame[12] = v6 ? (byte)0x86 : (byte)0x08;
        frame[13] = v6 ? (byte)0xdd : (byte)0x00;
        var ip = frame.AsSpan(14);
        if (v6)
        {
            ip[0] = 0x60;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(20 + 64));
            ip[6] = 6;
            ip[7] = 64;
            source.TryWriteBytes(ip[8..], out _);
            destination.TryWriteBytes(ip[24..], out _);
        }
        else
        {
            ip[0] = 0x45;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 20 + 64));
            ip[8] = 64;
            ip[9] = 6;
            source.TryWriteBytes(ip[12..], out _);
            destination.TryWriteBytes(ip[16..], out _);
        }

        // Checksums are irrelevant here: the datapath does not verify them (the stack does, later).
        var tcp = ip[ipLength..];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], port);
        tcp[12] = 0x50;
        tcp[13] = flags;
        return frame;
    }

    private static ulong SumLost(BpfObject bpf)
    {
        var perCpu = new ulong[BpfMap.PossibleCpuCount];
        bpf.GetMap(DatapathMaps.Lost).TryLookupPerCpu(0u, perCpu.AsSpan());
        ulong sum = 0;
        foreach (var value in perCpu)
        {
            sum += value;
        }

        return sum;
    }

    private sealed class CountingSink : IRingBufferSink
    {
        public long Count { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> record) => Count++;
    }
}
