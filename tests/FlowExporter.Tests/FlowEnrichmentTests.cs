using System.Net;
using Sluice.Api.Flow;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Enrichment;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Sinks;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public class FlowEnrichmentTests
{
    [Fact]
    public void Enrich_IngressRequest_LocalEndpointIsDestination()
    {
        var flow = TestFlows.Enriched(TestFlows.NewTcp());
        Assert.Same(TestFlows.Frontend, flow.Source);
        Assert.Same(TestFlows.Api, flow.Destination);
        Assert.Equal("veth-api", flow.InterfaceName);
    }

    [Fact]
    public void Enrich_IngressReply_LocalEndpointIsSource()
    {
        var flow = TestFlows.Enriched(TestFlows.SynAckReplyV6());
        Assert.Same(TestFlows.Api, flow.Source);
        Assert.Same(TestFlows.Frontend, flow.Destination);
    }

    [Fact]
    public void Enrich_EgressRequest_LocalEndpointIsSource_WorldByIdentity()
    {
        var flow = TestFlows.Enriched(TestFlows.PingWorld());
        Assert.Same(TestFlows.Frontend, flow.Source);
        Assert.Equal(0u, flow.Destination!.EndpointId);
        Assert.Equal(["reserved:world"], flow.Destination.Labels);
    }

    [Fact]
    public void Enrich_CidrIdentity_UsesRegisteredLabels()
    {
        var enricher = TestFlows.Enricher();
        enricher.AddIdentity(16_777_217, ["cidr:192.0.2.0/24", "k8s:app=partner"]);
        var flow = TestFlows.PingWorld();
        flow.DestinationIdentity = 16_777_217;
        FlowEnrichment.Enrich(ref flow, enricher);
        Assert.Equal(["cidr:192.0.2.0/24", "k8s:app=partner"], flow.Destination!.Labels);
    }

    [Fact]
    public void Enrich_AddressOfEndpointWithOtherIdentity_FallsBackToIdentity()
    {
        // A stale address→endpoint mapping must not relabel a peer whose identity says otherwise.
        var flow = TestFlows.NewTcp();
        flow.SourceIdentity = ReservedIdentities.World;
        FlowEnrichment.Enrich(ref flow, TestFlows.Enricher());
        Assert.Equal(["reserved:world"], flow.Source!.Labels);
    }

    [Fact]
    public void Enrich_UnknownEverything_LeavesNamesEmptyButKeepsNumbers()
    {
        var flow = TestFlows.NewTcp();
        flow.EndpointId = 99;
        flow.SourceIdentity = 5000;
        flow.DestinationIdentity = 5001;
        flow.PolicyRef = 77;
        flow.IfIndex = 42;
        FlowEnrichment.Enrich(ref flow, TestFlows.Enricher());
        Assert.Null(flow.Source);
        Assert.Null(flow.Destination);
        Assert.Null(flow.Policies);
        Assert.Null(flow.InterfaceName);
        var proto = FlowProtoConverter.ToProto(flow, new FlowConversionContext("n", "v"));
        Assert.Equal(5000u, proto.Source.Identity);
        Assert.Equal(42u, proto.Interface.Index);
        Assert.Empty(proto.IngressAllowedBy);
    }

    [Fact]
    public void CompactLineSink_WritesOneHubbleLinePerFlow()
    {
        using var output = new StringWriter();
        var sink = new CompactLineSink(output, new FlowConversionContext("node1", "0.1.0"), TimeZoneInfo.Utc);
        sink.Consume([TestFlows.Enriched(TestFlows.NewTcp()), TestFlows.Enriched(TestFlows.DroppedUdp())]);
        sink.Complete();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)", lines[0].TrimEnd('\r'), StringComparison.Ordinal);
        Assert.EndsWith("Policy denied DROPPED (UDP)", lines[1].TrimEnd('\r'), StringComparison.Ordinal);
    }

    [Fact]
    public void BootTimeOffset_MatchesUptime()
    {
        // /proc/uptime's first field is CLOCK_BOOTTIME in seconds (fs/proc/uptime.c).
        double uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        long offset = MonotonicClock.BootTimeToUnixOffsetNs();
        long bootedAtNs = (long)(((DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalSeconds - uptime) * 1e9);
        Assert.InRange(offset, bootedAtNs - 2_000_000_000, bootedAtNs + 2_000_000_000);
    }

    [Fact]
    public void IpAddress16_RoundTripsBothFamilies()
    {
        Assert.Equal("10.1.2.3", IpAddress16.FromIPAddress(IPAddress.Parse("10.1.2.3")).ToString(4));
        Assert.Equal("fd00::1:2", IpAddress16.FromIPAddress(IPAddress.Parse("fd00::1:2")).ToString(6));
        Assert.Equal(string.Empty, IpAddress16.FromIPAddress(IPAddress.Parse("10.1.2.3")).ToString(0));
        Assert.Throws<ArgumentException>(() => IpAddress16.FromBytes(new byte[5]));
    }
}
