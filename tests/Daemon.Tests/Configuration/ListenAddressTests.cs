using System.Net;
using Sluice.Daemon.Configuration;
using Xunit;

namespace Sluice.Daemon.Tests.Configuration;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9965", "127.0.0.1", 9965, true)]
    [InlineData("[::1]:9965", "::1", 9965, true)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80, false)]
    [InlineData("[fd00::5]:4245", "fd00::5", 4245, false)]
    [InlineData(":9965", null, 9965, false)]
    [InlineData("localhost:1", null, 1, true)]
    public void TryParse_ValidAddress_ReadsHostAndPort(string text, string? address, int port, bool loopback)
    {
        Assert.True(ListenAddress.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(address is null ? null : IPAddress.Parse(address), parsed!.Address);
        Assert.Equal(port, parsed.Port);
        Assert.Equal(loopback, parsed.IsLoopback);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData("9965")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("::1:9965")]
    [InlineData("[127.0.0.1]:9965")]
    [InlineData("host.example:9965")]
    [InlineData("127.1:9965")]
    public void TryParse_InvalidAddress_Fails(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }
}
