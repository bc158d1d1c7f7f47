using System.Buffers.Binary;
using System.Net;
using Sluice.Api.Flow;
using Sluice.Bpf;
using Sluice.Bpf.Abi;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Pipeline;
using Sluice.FlowExporter.Sinks;
using Xunit;

namespace Sluice.FlowExporter.Tests;

/// <summary>
/// The datapath's own records through the pipeline: Sluice's tc programs (bpf/build/sluice.bpf.o, loaded
/// into the running kernel, needs root) judge crafted packets via BPF_PROG_TEST_RUN, the ring buffer is
/// drained by the bindings' reader straight into <see cref="RingBufferRecordReader"/>, and the flows that
/// come out must say what the kernel decided.
/// </summary>
public sealed class KernelFlowPipelineTests : IDisposable
{
    private const ushort ApiEndpointId = 12;
    private const uint PolicyRef = 5;
    private readonly BpfObject _bpf;
    private readonly BpfProgram _toEndpoint;
    private readonly byte[] _context = SkbContext.Create(ifindex: 1);

    public KernelFlowPipelineTests()
    {
        _bpf = BpfObject.Open(BpfObject.Locate(DatapathMaps.ObjectFileName));
        _bpf.GetMap(DatapathMaps.Config).SetInitialValue(DatapathConfig.Default);
        _bpf.GetMap(DatapathMaps.Events).SetMaxEntries(1 << 16);
        _bpf.Load();
        _toEndpoint = _bpf.GetProgram(DatapathMaps.ToEndpointProgram);

        // api (endpoint 12, identity 1002) sits behind ifindex 1, default-deny on ingress, and lets
        // frontend (identity 1001) in on 8080/TCP through policy reference 5.
        _bpf.GetMap(DatapathMaps.Endpoints).Update(1u, new EndpointEntry
        {
            Identity = 1002,
            EndpointId = ApiEndpointId,
            PolicyMode = PolicyMode.Enforce,
            DefaultDeny = DefaultDenyDirections.Ingress,
            PolicyRevision = 1,
        });
        var ipcache = _bpf.GetMap(DatapathMaps.Ipcache);
        ipcache.Update(IpcacheKey.ForHost(IPAddress.Parse("10.10.0.2")), new IpcacheValue { Identity = 1001 });
        ipcache.Update(IpcacheKey.ForHost(IPAddress.Parse("10.10.0.3")), new IpcacheValue { Identity = 1002 });
        foreach (var prefix in PortRangePrefixes.Split(8080, 8080))
        {
            var key = PolicyKey.ForPortPrefix(ApiEndpointId, 0, DatapathDirection.Ingress, 1001, 6, prefix);
            _bpf.GetMap(DatapathMaps.Policy).Update(key, PolicyValue.Allow(key, PolicyRef));
        }
    }

    public void Dispose() => _bpf.Dispose();

    [Fact]
    public async Task KernelRecords_AllowedAndDenied_BecomeEnrichedHubbleFlows()
    {
        var ring = new FlowRing(64);
        var pipeline = new FlowPipeline(TestFlows.Enricher(), [ring], new FlowPipelineOptions
        {
            UnixOffsetNs = MonotonicClock.BootTimeToUnixOffsetNs(),
        });
        long before = UnixNowNs();

        Assert.Equal(0u, Run(Ipv4Frame("10.10.0.2", "10.10.0.3", 6, 40000, 8080, tcpFlags: 0x02)));  // TC_ACT_OK
        Assert.Equal(2u, Run(Ipv4Frame("198.51.100.7", "10.10.0.3", 17, 5353, 22)));               // TC_ACT_SHOT
        using (var reader = RingBufferReaders.Create(_bpf.GetMap(DatapathMaps.Events), pipeline.Reader))
        {
            reader.Drain();
        }

        pipeline.Reader.Flush();
        await pipeline.CompleteAsync();
        long after = UnixNowNs();

        Assert.Equal(2, pipeline.Counters.Decoded);
        Assert.Equal(0, pipeline.Counters.Malformed);
        var flows = new FlowEvent[2];
        Assert.Equal(2, ring.Read(0, flows, out _));

        var allowed = flows[0];
        Assert.Equal(FlowEventKind.PolicyVerdict, allowed.Kind);
        Assert.Equal(Verdict.Forwarded, allowed.Verdict);
        Assert.Equal(TrafficDirection.Ingress, allowed.Direction);
        Assert.Equal(ReplyState.Request, allowed.Reply);
        Assert.Equal((4, 6), (allowed.IpVersion, allowed.Protocol));
        Assert.Equal((40000, 8080), (allowed.SourcePort, allowed.DestinationPort));
        Assert.Equal(TcpFlagBits.Syn, allowed.TcpFlags);
        Assert.Equal((1001u, 1002u), (allowed.SourceIdentity, allowed.DestinationIdentity));
        Assert.Equal(PolicyRef, allowed.PolicyRef);
        Assert.Equal("frontend", allowed.Source?.Name);
        Assert.Equal("api", allowed.Destination?.Name);
        Assert.InRange(allowed.TimestampUnixNs, before - 1_000_000_000, after + 1_000_000_000);

        var proto = FlowProtoConverter.ToProto(allowed, new FlowConversionContext("node1", "0.1.0"));
        Assert.Equal("10.10.0.2", proto.IP.Source);
        Assert.Equal("allow-frontend", Assert.Single(proto.IngressAllowedBy).Name);
        Assert.EndsWith("shop/frontend:40000 (ID:1001) -> shop/api:8080 (ID:1002) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)",
            CompactFormatter.Format(proto), StringComparison.Ordinal);

        var dropped = flows[1];
        Assert.Equal(FlowEventKind.Drop, dropped.Kind);
        Assert.Equal(Verdict.Dropped, dropped.Verdict);
        Assert.Equal(Api.Flow.DropReason.PolicyDenied, dropped.DropReason);
        Assert.Equal(17, dropped.Protocol);
        Assert.Equal((5353, 22), (dropped.SourcePort, dropped.DestinationPort));
        Assert.Equal(IpAddress16.FromIPAddress(IPAddress.Parse("198.51.100.7")), dropped.SourceAddress);
        Assert.Equal("reserved:world", Assert.Single(dropped.Source!.Labels));
        Assert.True(dropped.Sequence > allowed.Sequence);
    }

    private uint Run(byte[] frame) => _toEndpoint.TestRun(frame, _context).ReturnValue;

    private static long UnixNowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>Ethernet + IPv4 (with header checksum) + a TCP or UDP header.</summary>
    private static byte[] Ipv4Frame(string source, string destination, byte protocol, ushort sourcePort, ushort destinationPort, byte tcpFlags = 0)
    {
        int l4Length = protocol == 6 ? 20 : 8;
        var frame = new byte[14 + 20 + l4Length];
        frame[12] = 0x08; // EtherType IPv4
        var ip = frame.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + l4Length));
        ip[8] = 64;
        ip[9] = protocol;
        IPAddress.Parse(source).TryWriteBytes(ip[12..], out _);
        IPAddress.Parse(destination).TryWriteBytes(ip[16..], out _);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        var l4 = frame.AsSpan(34);
        BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
        if (protocol == 6)
        {
            l4[12] = 5 << 4;
            l4[13] = tcpFlags;
            BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 65535);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], 8);
        }

        return frame;
    }
}
