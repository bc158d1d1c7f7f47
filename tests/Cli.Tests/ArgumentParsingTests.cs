using Sluice.Cli.Tracing;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using Xunit;

namespace Sluice.Cli.Tests;

public sealed class ArgumentParsingTests
{
    [Fact]
    public void LabelList_BareKeys_GetTheKubernetesSource()
    {
        var labels = LabelListArgument.Parse("app=frontend,tier=web");

        Assert.Equal([new Label("k8s", "app", "frontend"), new Label("k8s", "tier", "web")], labels);
    }

    [Fact]
    public void LabelList_ExplicitSources_AreKept()
    {
        var labels = LabelListArgument.Parse("reserved:host, k8s:io.kubernetes.pod.namespace=shop");

        Assert.Equal([new Label("reserved", "host", ""), new Label("k8s", "io.kubernetes.pod.namespace", "shop")], labels);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app=x,,tier=y")]
    [InlineData("=x")]
    [InlineData("my app=x")]
    public void LabelList_Malformed_Throws(string text)
    {
        Assert.Throws<FormatException>(() => LabelListArgument.Parse(text));
    }

    [Theory]
    [InlineData("80/TCP", IpProtocol.Tcp, 80)]
    [InlineData("80", IpProtocol.Tcp, 80)]
    [InlineData("53/udp", IpProtocol.Udp, 53)]
    [InlineData("9/SCTP", IpProtocol.Sctp, 9)]
    [InlineData("8/ICMP", IpProtocol.Icmp, 8)]
    [InlineData("128/ICMPv6", IpProtocol.IcmpV6, 128)]
    [InlineData("0/ICMP", IpProtocol.Icmp, 0)]
    [InlineData("65535/TCP", IpProtocol.Tcp, 65535)]
    public void Port_Valid_Parses(string text, byte protocol, int port)
    {
        Assert.Equal((protocol, (ushort)port), PortArgument.Parse(text));
    }

    [Theory]
    [InlineData("0/TCP")]
    [InlineData("65536/TCP")]
    [InlineData("80/GRE")]
    [InlineData("http/TCP")]
    [InlineData("256/ICMP")]
    [InlineData("-1")]
    [InlineData("")]
    public void Port_Invalid_Throws(string text)
    {
        Assert.Throws<FormatException>(() => PortArgument.Parse(text));
    }
}
