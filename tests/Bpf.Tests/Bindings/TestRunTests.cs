namespace Sluice.Bpf.Tests.Bindings;

public sealed class TestRunTests : IDisposable
{
    private readonly BpfObject obj = BindingsFixture.OpenLoaded();

    private BpfProgram Echo => obj.GetProgram("fixture_echo");

    public void Dispose() => obj.Dispose();

    [Fact]
    public void TestRun_Default_ReturnsProgramVerdict()
    {
        var result = Echo.TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"));
        Assert.Equal(BindingsFixture.TcActOk, result.ReturnValue);
    }

    [Fact]
    public void TestRun_Context_ProgramSeesAndUpdatesIt()
    {
        // ifindex 1 is loopback in every namespace; the kernel resolves it (net/bpf/test_run.c).
        var context = SkbContext.Create(ifindex: 1, ingressIfindex: 1, mark: 41, priority: 3);
        var contextOut = new byte[SkbContext.Size];

        var result = Echo.TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"), context, contextOut: contextOut);

        Assert.Equal(SkbContext.Size, result.ContextSizeOut);
        Assert.Equal(1u, SkbContext.Cb(contextOut, 0));
        Assert.Equal(1u, SkbContext.Cb(contextOut, 1));
        Assert.Equal(41u, SkbContext.Mark(contextOut));
        Assert.Equal(3u, SkbContext.Priority(contextOut));
    }

    [Fact]
    public void TestRun_PacketLookupInLpm_ReportedThroughContext()
    {
        obj.GetMap("fixture_lpm").Update(FixtureLpmKey.For("198.51.100.0", 24), 77u);
        var contextOut = new byte[SkbContext.Size];

        Echo.TestRun(BindingsFixture.Ipv4Frame("198.51.100.9"), SkbContext.Create(), contextOut: contextOut);
        Assert.Equal(77u, SkbContext.Cb(contextOut, 2));

        Echo.TestRun(BindingsFixture.Ipv4Frame("203.0.113.9"), SkbContext.Create(), contextOut: contextOut);
        Assert.Equal(0u, SkbContext.Cb(contextOut, 2));
    }

    [Fact]
    public void TestRun_DataOut_ReturnsThePacket()
    {
        var frame = BindingsFixture.Ipv4Frame("192.0.2.7");
        var dataOut = new byte[256];

        var result = Echo.TestRun(frame, dataOut: dataOut);

        Assert.Equal(frame.Length, result.DataSizeOut);
        Assert.Equal(frame, dataOut[..result.DataSizeOut]);
    }

    [Fact]
    public void TestRun_Repeat_RunsThatManyTimesAndReportsDuration()
    {
        var result = Echo.TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"), repeat: 1000);
        var perCpu = new uint[BpfMap.PossibleCpuCount];
        obj.GetMap("fixture_percpu").TryLookupPerCpu(0u, perCpu.AsSpan());

        Assert.Equal(1000u, perCpu.Aggregate(0u, (sum, r) => sum + r));
        Assert.InRange(result.DurationNs, 1u, 1_000_000u);
    }

    [Fact]
    public void TestRun_FrameShorterThanEthernetHeader_ThrowsEinval()
    {
        var error = Assert.Throws<BpfException>(() => Echo.TestRun(new byte[8]));
        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Contains("test-run program fixture_echo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestRun_ContextWithForbiddenField_ThrowsEinval()
    {
        var context = SkbContext.Create();

        // __sk_buff.len (offset 0) must be zero in a test-run context.
        context[0] = 1;
        var error = Assert.Throws<BpfException>(() => Echo.TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"), context));
        Assert.Equal(Errno.EINVAL, error.Errno);
    }

    [Fact]
    public void TestRun_UnknownIfindexInContext_Throws()
    {
        var context = SkbContext.Create(ifindex: 999_999);
        var error = Assert.Throws<BpfException>(() => Echo.TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"), context));
        Assert.Equal(Errno.ENODEV, error.Errno);
    }

    [Fact]
    public void TestRun_DataOutTooSmall_ThrowsEnospc()
    {
        var error = Assert.Throws<BpfException>(() => Echo.TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"), dataOut: new byte[4]));
        Assert.Equal(Errno.ENOSPC, error.Errno);
        Assert.Contains("smaller than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkbContext_WriteAndRead_UseUapiOffsets()
    {
        var image = SkbContext.Create(ifindex: 7, ingressIfindex: 8, mark: 9, priority: 10, cb: [1, 2, 3, 4, 5]);
        Assert.Equal(7, SkbContext.Ifindex(image));
        Assert.Equal(8, SkbContext.IngressIfindex(image));
        Assert.Equal(9u, SkbContext.Mark(image));
        Assert.Equal(10u, SkbContext.Priority(image));
        Assert.Equal(5u, SkbContext.Cb(image, 4));
        Assert.Equal(9, image[8]);
        Assert.Equal(7, image[40]);
        Assert.Throws<ArgumentException>(() => SkbContext.Create(cb: [1, 2, 3, 4, 5, 6]));
        Assert.Throws<ArgumentException>(() => SkbContext.Mark(new byte[10]));
    }
}
