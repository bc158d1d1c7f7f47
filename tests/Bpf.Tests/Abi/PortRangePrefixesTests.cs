using Sluice.Bpf.Abi;
using Xunit;

namespace Sluice.Bpf.Tests.Abi;

public sealed class PortRangePrefixesTests
{
    [Theory]
    [InlineData(80, 80, 1)]
    [InlineData(0, 65535, 1)]
    [InlineData(1, 65535, 16)]
    [InlineData(8080, 8090, 3)]
    [InlineData(1024, 2047, 1)]
    [InlineData(1, 65534, 30)]
    public void Split_CoversRangeExactlyWithFewestAlignedBlocks(int first, int last, int expectedBlocks)
    {
        var blocks = PortRangePrefixes.Split((ushort)first, (ushort)last);

        Assert.Equal(expectedBlocks, blocks.Count);
        var next = first;
        foreach (var block in blocks)
        {
            Assert.Equal(next, block.Port);
            var size = 1 << (16 - block.PrefixBits);
            Assert.Equal(0, block.Port % size); // aligned: the low bits are the wildcard
            next = block.LastPort + 1;
        }

        Assert.Equal(last + 1, next);
    }

    [Fact]
    public void Split_EveryPortOfRandomRanges_IsInExactlyOneBlock()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var a = random.Next(0, 65536);
            var b = random.Next(a, Math.Min(65536, a + random.Next(1, 5000)));
            var blocks = PortRangePrefixes.Split((ushort)a, (ushort)b);
            for (var port = Math.Max(0, a - 3); port <= Math.Min(65535, b + 3); port++)
            {
                var matches = blocks.Count(block => port >= block.Port && port <= block.LastPort);
                Assert.Equal(port >= a && port <= b ? 1 : 0, matches);
            }
        }
    }

    [Fact]
    public void Split_ReversedRange_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PortRangePrefixes.Split(90, 80));
        Assert.Contains("below its start", error.Message);
    }
}
