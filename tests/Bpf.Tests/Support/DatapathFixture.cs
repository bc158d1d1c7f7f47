using System.Net;
using Sluice.Bpf.Abi;

namespace Sluice.Bpf.Tests.Support;

/// <summary>
/// Loads a private copy of sluice.bpf.o with small maps and lets a test describe endpoints, identities and
/// policy, push packets through either program with BPF_PROG_TEST_RUN, and read verdicts, counters and
/// flow records. Every fixture has its own maps, so tests do not see each other's state.
/// </summary>
public sealed class DatapathFixture : IDisposable
{
    /// <summary>Loopback: BPF_PROG_TEST_RUN resolves the context's ifindex in the caller's namespace.</summary>
    public const int LoopbackIfindex = 1;

    /// <summary>tc's "let it pass" return value.</summary>
    public const uint TcActOk = 0;

    /// <summary>tc's "drop" return value.</summary>
    public const uint TcActShot = 2;

    private readonly BpfObject bpf;
    private readonly BpfProgram fromEndpoint;
    private readonly BpfProgram toEndpoint;
    private readonly FlowRecordCollector collector = new();
    private readonly IRingBufferReader reader;
    private readonly byte[] context = SkbContext.Create(ifindex: LoopbackIfindex);

    /// <summary>Opens and loads the object with <paramref name="config"/> (default: <see cref="DatapathConfig.Default"/>).</summary>
    public DatapathFixture(DatapathConfig? config = null, uint ringBytes = 1 << 16, uint conntrackEntries = 1024)
    {
        bpf = BpfObject.Open(BpfObject.Locate(DatapathMaps.ObjectFileName));
        try
        {
            bpf.GetMap(DatapathMaps.Config).SetInitialValue(config ?? DatapathConfig.Default);
            bpf.GetMap(DatapathMaps.Conntrack).SetMaxEntries(conntrackEntries);
            bpf.GetMap(DatapathMaps.Events).SetMaxEntries(ringBytes);
            bpf.GetMap(DatapathMaps.Policy).SetMaxEntries(4096);
            bpf.GetMap(DatapathMaps.Ipcache).SetMaxEntries(1024);
            bpf.Load();
            fromEndpoint = bpf.GetProgram(DatapathMaps.FromEndpointProgram);
            toEndpoint = bpf.GetProgram(DatapathMaps.ToEndpointProgram);
            reader = RingBufferReaders.Create(Map(DatapathMaps.Events), collector);
        }
        catch
        {
            bpf.Dispose();
            throw;
        }
    }

    /// <summary>The loaded object (for tests that attach its programs to real interfaces).</summary>
    public BpfObject LoadedObject => bpf;

    /// <summary>A map of the loaded object.</summary>
    public BpfMap Map(string name) => bpf.GetMap(name);

    /// <summary>Writes an endpoint entry for <paramref name="ifindex"/>.</summary>
    public void AddEndpoint(
        ushort endpointId,
        uint identity,
        DefaultDenyDirections defaultDeny = DefaultDenyDirections.None,
        PolicyMode mode = PolicyMode.Enforce,
        uint revision = 1,
        byte slot = 0,
        int ifindex = LoopbackIfindex)
    {
        var entry = new EndpointEntry
        {
            Identity = identity,
            EndpointId = endpointId,
            PolicyMode = mode,
            DefaultDeny = defaultDeny,
            ActiveSlot = slot,
            PolicyRevision = revision,
        };
        Map(DatapathMaps.Endpoints).Update((uint)ifindex, entry);
    }

    /// <summary>Reads the endpoint entry of <paramref name="ifindex"/>.</summary>
    public EndpointEntry Endpoint(int ifindex = LoopbackIfindex) =>
        Map(DatapathMaps.Endpoints).TryLookup((uint)ifindex, out EndpointEntry entry)
            ? entry
            : throw new InvalidOperationException($"No endpoint entry for ifindex {ifindex}.");

    /// <summary>Updates the endpoint entry of <paramref name="ifindex"/> in place.</summary>
    public void UpdateEndpoint(Func<EndpointEntry, EndpointEntry> change, int ifindex = LoopbackIfindex) =>
        Map(DatapathMaps.Endpoints).Update((uint)ifindex, change(Endpoint(ifindex)));

    /// <summary>Maps <paramref name="prefix"/> (an address or CIDR) to <paramref name="identity"/>.</summary>
    public void SetIdentity(string prefix, uint identity)
    {
        var parts = prefix.Split('/');
        var address = IPAddress.Parse(parts[0]);
        var key = parts.Length == 2 ? IpcacheKey.For(address, int.Parse(parts[1])) : IpcacheKey.ForHost(address);
        Map(DatapathMaps.Ipcache).Update(key, new IpcacheValue { Identity = identity });
    }

    /// <summary>Writes one policy entry.</summary>
    public void Put(PolicyKey key, PolicyValue value) => Map(DatapathMaps.Policy).Update(key, value);

    /// <summary>Removes one policy entry.</summary>
    public bool Remove(PolicyKey key) => Map(DatapathMaps.Policy).Delete(key);

    /// <summary>Writes an allow (or deny) for a port range as its LPM prefixes.</summary>
    public IReadOnlyList<PolicyKey> PutPortRange(
        ushort endpointId, DatapathDirection direction, uint remoteIdentity, byte protocol, ushort first, ushort last, uint policyRef, bool deny = false, byte slot = 0)
    {
        var keys = new List<PolicyKey>();
        foreach (var prefix in PortRangePrefixes.Split(first, last))
        {
            var key = PolicyKey.ForPortPrefix(endpointId, slot, direction, remoteIdentity, protocol, prefix);
            Put(key, deny ? PolicyValue.DenyFor(key, policyRef) : PolicyValue.Allow(key, policyRef));
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>Runs a frame through tc ingress of the host-side interface: a packet from the endpoint.</summary>
    public uint FromEndpoint(byte[] frame) => fromEndpoint.TestRun(frame, context).ReturnValue;

    /// <summary>Runs a frame through tc egress of the host-side interface: a packet to the endpoint.</summary>
    public uint ToEndpoint(byte[] frame) => toEndpoint.TestRun(frame, context).ReturnValue;

    /// <summary>The program for a direction (egress = from the endpoint).</summary>
    public BpfProgram Program(DatapathDirection direction) => direction == DatapathDirection.Egress ? fromEndpoint : toEndpoint;

    /// <summary>The test-run context image used for every run (ifindex = loopback).</summary>
    public ReadOnlySpan<byte> Context => context;

    /// <summary>Packets counted for (direction, verdict, reason), summed over CPUs.</summary>
    public ulong Packets(DatapathDirection direction, FlowVerdict verdict, DropReason reason = DropReason.None) =>
        Counter(direction, verdict, reason).Packets;

    /// <summary>The counter for (direction, verdict, reason), summed over CPUs.</summary>
    public TrafficCounter Counter(DatapathDirection direction, FlowVerdict verdict, DropReason reason = DropReason.None)
    {
        var perCpu = new TrafficCounter[BpfMap.PossibleCpuCount];
        Map(DatapathMaps.Counters).TryLookupPerCpu(TrafficCounterIndex.Of(direction, verdict, reason), perCpu.AsSpan());
        var total = default(TrafficCounter);
        foreach (var slot in perCpu)
        {
            total.Packets += slot.Packets;
            total.Bytes += slot.Bytes;
        }

        return total;
    }

    /// <summary>Records lost because the ring was full, summed over CPUs.</summary>
    public ulong Lost() => SumPerCpu(DatapathMaps.Lost, 0);

    /// <summary>A debug counter, summed over CPUs.</summary>
    public ulong Debug(DebugCounter which) => SumPerCpu(DatapathMaps.Debug, (uint)which);

    /// <summary>Drains the ring and returns every record received since the last call.</summary>
    public IReadOnlyList<FlowRecord> DrainEvents()
    {
        reader.Drain();
        var records = collector.Records.ToList();
        collector.Clear();
        return records;
    }

    /// <summary>The conntrack entries currently held.</summary>
    public IReadOnlyList<(ConntrackKey Key, ConntrackValue Value)> Conntrack()
    {
        var map = Map(DatapathMaps.Conntrack);
        var entries = new List<(ConntrackKey, ConntrackValue)>();
        foreach (var key in map.GetKeys<ConntrackKey>())
        {
            if (map.TryLookup(key, out ConntrackValue value))
            {
                entries.Add((key, value));
            }
        }

        return entries;
    }

    /// <summary>Unloads everything.</summary>
    public void Dispose()
    {
        reader.Dispose();
        bpf.Dispose();
    }

    private ulong SumPerCpu(string mapName, uint index)
    {
        var perCpu = new ulong[BpfMap.PossibleCpuCount];
        Map(mapName).TryLookupPerCpu(index, perCpu.AsSpan());
        ulong sum = 0;
        foreach (var value in perCpu)
        {
            sum += value;
        }

        return sum;
    }
}
