using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// L4: ports, endPort ranges, protocol ANY = TCP+UDP+SCTP, port 0 wildcard, named ports (not enforced: an
/// allow allows nothing), ICMP/ICMPv6 types in the port field, AND of peer and port, L4-only rules (any
/// peer). Ingress of endpoint 300 from app=web (301) unless noted.
/// </summary>
public class PortSemanticsTests
{
    private static string FromWeb(string ports) => Cnp($"ingress:\n- fromEndpoints: [{{matchLabels: {{app: web}}}}]\n  {ports}");

    private static string[] WebLines(params string[] l4) => [.. l4.Select(p => $"ingress identity=301 {p}: allow by cnp/shop/p[0]")];

    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "single TCP port", FromWeb("toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]"), WebLines("tcp/80") },
        { "UDP port", FromWeb("toPorts: [{ports: [{port: \"53\", protocol: UDP}]}]"), WebLines("udp/53") },
        { "SCTP port", FromWeb("toPorts: [{ports: [{port: \"9000\", protocol: SCTP}]}]"), WebLines("sctp/9000") },
        { "protocol omitted = ANY = tcp, udp, sctp", FromWeb("toPorts: [{ports: [{port: \"53\"}]}]"), WebLines("tcp/53", "udp/53", "sctp/53") },
        { "explicit ANY", FromWeb("toPorts: [{ports: [{port: \"8080\", protocol: ANY}]}]"), WebLines("tcp/8080", "udp/8080", "sctp/8080") },
        { "endPort range", FromWeb("toPorts: [{ports: [{port: \"8000\", endPort: 8080, protocol: TCP}]}]"), WebLines("tcp/8000-8080") },
        { "endPort equal to port", FromWeb("toPorts: [{ports: [{port: \"443\", endPort: 443, protocol: TCP}]}]"), WebLines("tcp/443") },
        { "port 0 = every port of the protocol", FromWeb("toPorts: [{ports: [{port: \"0\", protocol: UDP}]}]"), WebLines("udp/all") },
        { "ports in a list are ORed", FromWeb("toPorts: [{ports: [{port: \"80\", protocol: TCP}, {port: \"443\", protocol: TCP}]}]"), WebLines("tcp/80", "tcp/443") },
        { "several toPorts entries are ORed", FromWeb("toPorts: [{ports: [{port: \"80\", protocol: TCP}]}, {ports: [{port: \"53\", protocol: UDP}]}]"), WebLines("tcp/80", "udp/53") },
        { "named port allows nothing", FromWeb("toPorts: [{ports: [{port: http, protocol: TCP}]}]"), [] },
        { "named port next to a numeric one: only the number", FromWeb("toPorts: [{ports: [{port: http, protocol: TCP}, {port: \"8443\", protocol: TCP}]}]"), WebLines("tcp/8443") },
        { "ICMP type by number", FromWeb("icmps: [{fields: [{type: 8}]}]"), WebLines("icmp/type=8") },
        { "ICMP type by name", FromWeb("icmps: [{fields: [{type: EchoRequest, family: IPv4}]}]"), WebLines("icmp/type=8") },
        { "ICMPv6 type by name", FromWeb("icmps: [{fields: [{type: EchoRequest, family: IPv6}]}]"), WebLines("icmpv6/type=128") },
        { "ICMP v4 and v6 fields", FromWeb("icmps: [{fields: [{type: 0, family: IPv4}, {type: 129, family: IPv6}]}]"), WebLines("icmp/type=0", "icmpv6/type=129") },
        { "no toPorts = every protocol and port (L3 only)", Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]"), WebLines("any") },
        { "L4-only rule (no peer) = any peer", Cnp("ingress:\n- toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]"), ["ingress identity=any tcp/80: allow by cnp/shop/p[0]"] },
        { "L4-only ICMP rule = any peer", Cnp("ingress:\n- icmps: [{fields: [{type: 8}]}]"), ["ingress identity=any icmp/type=8: allow by cnp/shop/p[0]"] },
        { "entity plus port", Cnp("egress:\n- toEntities: [world]\n  toPorts: [{ports: [{port: \"443\", protocol: TCP}]}]"),
            ["egress identity=2 tcp/443: allow by cnp/shop/p[0]", "egress identity=9 tcp/443: allow by cnp/shop/p[0]",
             "egress identity=10 tcp/443: allow by cnp/shop/p[0]", "egress identity=400 tcp/443: allow by cnp/shop/p[0]"] },
        { "overlapping allow ranges both stay", FromWeb("toPorts: [{ports: [{port: \"80\", endPort: 90, protocol: TCP}, {port: \"85\", endPort: 95, protocol: TCP}]}]"),
            WebLines("tcp/80-90", "tcp/85-95") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void L4_MatchesCiliumSemantics(string name, string yaml, string[] expected)
    {
        var world = Create();
        world.Policy(yaml);
        Assert.True(expected.SequenceEqual(world.Lines(Api)), $"{name}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", world.Lines(Api))}");
    }

    [Theory]
    [InlineData((byte)6, (ushort)80, true)]
    [InlineData((byte)6, (ushort)81, false)]
    [InlineData((byte)17, (ushort)80, false)]
    [InlineData((byte)1, (ushort)8, false)]
    public void PeerAndPort_AreAnded(byte protocol, ushort port, bool forwarded)
    {
        var world = Create();
        world.Policy(FromWeb("toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]"));
        Assert.Equal(forwarded, world.Forwards(Api, MapState.TrafficDirection.Ingress, Web, protocol, port));
        Assert.False(world.Forwards(Api, MapState.TrafficDirection.Ingress, Db, protocol, port));
    }
}
