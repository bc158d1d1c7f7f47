using Sluice.Bpf.Abi;
using Sluice.Daemon.Datapath;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Xunit;

namespace Sluice.Daemon.Tests.Datapath;

public sealed class PolicyMapEncoderTests
{
    private static readonly PolicyRef Ref = new(PolicyKind.CiliumNetworkPolicy, "shop", "p", 0);

    private static EndpointMapState State(params (MapStateKey Key, MapStateEntry Entry)[] entries) =>
        new(7, EnforcementState.DefaultDeny, EnforcementState.Off,
            [.. entries.OrderBy(e => e.Key).Select(e => KeyValuePair.Create(e.Key, e.Entry))]);

    private static MapStateEntry Allow() => new(false, false, [Ref]);

    private static MapStateEntry Deny(bool audit = false) => new(true, audit, [Ref]);

    [Fact]
    public void Encode_IdentityOnlyEntry_IsOnePrefix64Key()
    {
        var encoded = PolicyMapEncoder.Encode(State((MapStateKey.AllTraffic(256, TrafficDirection.Ingress), Allow())), 7, 1, _ => 42);

        var (key, value) = Assert.Single(encoded);
        Assert.Equal(PolicyKey.IdentityPrefix, key.PrefixLength);
        Assert.Equal((7, 1, DatapathDirection.Ingress, 256u), (key.EndpointId, key.Slot, key.Direction, key.RemoteIdentity));
        Assert.Equal((0, 0, 64, 42u), (value.Deny, value.Audit, value.PrefixLength, value.PolicyRef));
    }

    [Fact]
    public void Encode_ProtocolAllPorts_IsOnePrefix80Key()
    {
        var encoded = PolicyMapEncoder.Encode(State((new MapStateKey(256, TrafficDirection.Egress, IpProtocol.Udp, 0, 65535), Allow())), 7, 0, _ => 1);

        var key = Assert.Single(encoded).Key;
        Assert.Equal(PolicyKey.ProtocolPrefix, key.PrefixLength);
        Assert.Equal((IpProtocol.Udp, DatapathDirection.Egress), (key.Protocol, key.Direction));
    }

    [Theory]
    [InlineData(80, 80, 1)]
    [InlineData(5432, 5433, 1)]
    [InlineData(1, 65534, 30)]
    [InlineData(8000, 8999, 6)]
    public void Encode_PortRange_CoversExactlyTheRangeWithAlignedBlocks(int low, int high, int blocks)
    {
        var encoded = PolicyMapEncoder.Encode(State((new MapStateKey(256, TrafficDirection.Ingress, IpProtocol.Tcp, (ushort)low, (ushort)high), Allow())), 7, 0, _ => 1);

        Assert.Equal(blocks, encoded.Count);
        var covered = encoded.Keys.SelectMany(k =>
        {
            int bits = (int)k.PrefixLength - (int)PolicyKey.ProtocolPrefix;
            int first = k.DestinationPort;
            return Enumerable.Range(first, 1 << (16 - bits));
        }).Order().ToList();
        Assert.Equal(Enumerable.Range(low, high - low + 1), covered);
    }

    [Fact]
    public void Encode_AnyProtocolWithPort_ExpandsToTcpUdpSctp()
    {
        var encoded = PolicyMapEncoder.Encode(State((new MapStateKey(0, TrafficDirection.Ingress, IpProtocol.Any, 53, 53), Allow())), 7, 0, _ => 1);

        Assert.Equal([IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Sctp], encoded.Keys.Select(k => k.Protocol).Order());
        Assert.All(encoded.Keys, k => Assert.Equal((PolicyKey.FullPrefix, (ushort)53), (k.PrefixLength, k.DestinationPort)));
    }

    [Fact]
    public void Encode_IcmpType_IsCarriedInThePortField()
    {
        var encoded = PolicyMapEncoder.Encode(State((new MapStateKey(256, TrafficDirection.Ingress, IpProtocol.IcmpV6, 128, 128), Allow())), 7, 0, _ => 1);

        var key = Assert.Single(encoded).Key;
        Assert.Equal((IpProtocol.IcmpV6, (ushort)128, PolicyKey.FullPrefix), (key.Protocol, key.DestinationPort, key.PrefixLength));
    }

    [Fact]
    public void Encode_RangesSharingABlock_DenyWinsOverAllow()
    {
        // 76-83 splits into 76/14 and 80/14; 80-83 is 80/14: the same LPM key from an allow and a deny.
        var encoded = PolicyMapEncoder.Encode(State(
            (new MapStateKey(256, TrafficDirection.Ingress, IpProtocol.Tcp, 76, 83), Allow()),
            (new MapStateKey(256, TrafficDirection.Ingress, IpProtocol.Tcp, 80, 83), Deny())), 7, 0, _ => 1);

        var shared = encoded.Single(kv => kv.Key.DestinationPort == 80).Value;
        Assert.Equal(1, shared.Deny);
        Assert.Equal(0, encoded.Single(kv => kv.Key.DestinationPort == 76).Value.Deny);
    }

    [Fact]
    public void Encode_EnforcedDenyBeatsAuditDenyOnTheSameKey()
    {
        var encoded = PolicyMapEncoder.Encode(State(
            (new MapStateKey(256, TrafficDirection.Ingress, IpProtocol.Tcp, 76, 83), Deny(audit: true)),
            (new MapStateKey(256, TrafficDirection.Ingress, IpProtocol.Tcp, 80, 83), Deny())), 7, 0, _ => 1);

        Assert.Equal(0, encoded.Single(kv => kv.Key.DestinationPort == 80).Value.Audit);
        Assert.Equal(1, encoded.Single(kv => kv.Key.DestinationPort == 76).Value.Audit);
    }

    [Theory]
    [InlineData(EnforcementState.Off, EnforcementState.Off, DefaultDenyDirections.None)]
    [InlineData(EnforcementState.DefaultDeny, EnforcementState.Off, DefaultDenyDirections.Ingress)]
    [InlineData(EnforcementState.Off, EnforcementState.DefaultDeny, DefaultDenyDirections.Egress)]
    [InlineData(EnforcementState.DefaultDeny, EnforcementState.DefaultDeny, DefaultDenyDirections.Ingress | DefaultDenyDirections.Egress)]
    [InlineData(EnforcementState.AuditDefaultDeny, EnforcementState.AuditDefaultDeny, DefaultDenyDirections.None)]
    public void DefaultDenyOf_EnforcementStates_MapToDatapathFlags(EnforcementState ingress, EnforcementState egress, DefaultDenyDirections expected)
    {
        Assert.Equal(expected, PolicyMapEncoder.DefaultDenyOf(ingress, egress));
    }
}
