namespace Sluice.Bpf.Tests.Bindings;

public sealed class BpfExceptionTests
{
    [Fact]
    public void Message_NamesOperationTargetErrnoAndHint()
    {
        var error = new BpfException(Errno.EPERM, "attach tc ingress program sluice_ingress to", "veth-api (ifindex 7)", "needs CAP_NET_ADMIN");

        Assert.Equal(
            "attach tc ingress program sluice_ingress to veth-api (ifindex 7): EPERM (Operation not permitted) — needs CAP_NET_ADMIN",
            error.Message);
        Assert.Equal(Errno.EPERM, error.Errno);
        Assert.Equal("attach tc ingress program sluice_ingress to", error.Operation);
        Assert.Equal("veth-api (ifindex 7)", error.Target);
        Assert.Null(error.Details);
    }

    [Theory]
    [InlineData(Errno.EPERM, "CAP_BPF")]
    [InlineData(Errno.EACCES, "verifier")]
    [InlineData(Errno.ENOENT, "does not exist")]
    [InlineData(Errno.E2BIG, "kernel limit")]
    [InlineData(Errno.ENOSPC, "full")]
    [InlineData(Errno.EINVAL, "rejected an argument")]
    [InlineData(Errno.ENODEV, "network interface")]
    public void Message_DefaultHintForCommonErrnos(int errno, string hint)
    {
        var error = new BpfException(errno, "do", "thing");
        Assert.Contains(" — ", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"do thing: {Errno.Name(errno)} (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_DetailsOnFollowingLines()
    {
        var error = new BpfException(Errno.EACCES, "load BPF object", "x.bpf.o", details: "libbpf: prog 'p': failed\n-- verifier log --\nR1 invalid mem access\n");

        Assert.Equal("libbpf: prog 'p': failed\n-- verifier log --\nR1 invalid mem access\n", error.Details);
        Assert.EndsWith("\nlibbpf: prog 'p': failed\n-- verifier log --\nR1 invalid mem access", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_UnlistedErrnoAndNoTarget()
    {
        var error = new BpfException(200, "poll ring buffer", null, hint: string.Empty);
        Assert.StartsWith("poll ring buffer: errno 200 (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" — ", error.Message, StringComparison.Ordinal);
    }
}
