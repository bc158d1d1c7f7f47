using Sluice.Bpf.Tests.Support;

namespace Sluice.Bpf.Tests.Bindings;

public sealed class TcAttachmentTests : IDisposable
{
    private readonly NetworkNamespace ns = NetworkNamespace.Create();
    private readonly BpfObject obj = BindingsFixture.OpenLoaded();
    private readonly string hostSide = NetworkNamespace.UniqueName("slh", 12);
    private readonly int ifindex;

    public TcAttachmentTests()
    {
        (ifindex, _) = ns.AddVethPair(hostSide, NetworkNamespace.UniqueName("slp", 12));
    }

    public void Dispose()
    {
        obj.Dispose();
        ns.Dispose();
    }

    [Fact]
    public void Attach_Ingress_QueryAndTcSeeIt()
    {
        var echo = obj.GetProgram("fixture_echo");
        var attachment = ns.Run(() => TcAttachment.Attach(ifindex, TcDirection.Ingress, echo));

        Assert.Equal(echo.Id, attachment.ProgramId);
        Assert.Equal(ifindex, attachment.Ifindex);
        Assert.Equal(TcDirection.Ingress, attachment.Direction);
        Assert.True(ns.Run(() => TcAttachment.IsAttached(ifindex, TcDirection.Ingress)));
        Assert.False(ns.Run(() => TcAttachment.IsAttached(ifindex, TcDirection.Egress)));

        // The kernel's own view, independent of libbpf.
        var filters = ns.Exec("tc", "filter", "show", "dev", hostSide, "ingress");
        Assert.Contains("fixture_echo", filters, StringComparison.Ordinal);
        Assert.Contains("direct-action", filters, StringComparison.Ordinal);

        ns.Run(attachment.Dispose);
        Assert.False(ns.Run(() => TcAttachment.IsAttached(ifindex, TcDirection.Ingress)));
        Assert.DoesNotContain("fixture_echo", ns.Exec("tc", "filter", "show", "dev", hostSide, "ingress"), StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_SameHandleAndPriority_ReplacesAtomically()
    {
        var echo = obj.GetProgram("fixture_echo");
        var emit = obj.GetProgram("fixture_emit");
        ns.Run(() =>
        {
            var first = TcAttachment.Attach(ifindex, TcDirection.Egress, echo);
            var second = TcAttachment.Attach(ifindex, TcDirection.Egress, emit);

            Assert.Equal(emit.Id, TcAttachment.QueryProgramId(ifindex, TcDirection.Egress));

            // The stale attachment must not take the replacement down with it.
            first.Dispose();
            Assert.Equal(emit.Id, TcAttachment.QueryProgramId(ifindex, TcDirection.Egress));

            second.Dispose();
            Assert.Equal(0u, TcAttachment.QueryProgramId(ifindex, TcDirection.Egress));
        });
    }

    [Fact]
    public void Attach_DifferentPriorities_CoexistAndDetachIndependently()
    {
        var echo = obj.GetProgram("fixture_echo");
        var emit = obj.GetProgram("fixture_emit");
        ns.Run(() =>
        {
            using var low = TcAttachment.Attach(ifindex, TcDirection.Ingress, echo, handle: 1, priority: 1);
            using var high = TcAttachment.Attach(ifindex, TcDirection.Ingress, emit, handle: 1, priority: 2);

            Assert.Equal(echo.Id, TcAttachment.QueryProgramId(ifindex, TcDirection.Ingress, 1, 1));
            Assert.Equal(emit.Id, TcAttachment.QueryProgramId(ifindex, TcDirection.Ingress, 1, 2));

            TcAttachment.Detach(ifindex, TcDirection.Ingress, 1, 1);
            Assert.False(TcAttachment.IsAttached(ifindex, TcDirection.Ingress, 1, 1));
            Assert.True(TcAttachment.IsAttached(ifindex, TcDirection.Ingress, 1, 2));
        });
    }

    [Fact]
    public void Detach_NothingAttached_IsANoOp()
    {
        ns.Run(() =>
        {
            // No clsact qdisc at all, then a qdisc without this filter.
            TcAttachment.Detach(ifindex, TcDirection.Ingress);
            Assert.False(TcAttachment.IsAttached(ifindex, TcDirection.Ingress));
            using var other = TcAttachment.Attach(ifindex, TcDirection.Egress, obj.GetProgram("fixture_echo"));
            TcAttachment.Detach(ifindex, TcDirection.Ingress);
            Assert.True(TcAttachment.IsAttached(ifindex, TcDirection.Egress));
        });
    }

    [Fact]
    public void DestroyClsact_RemovesEveryFilterAndTheQdisc()
    {
        var echo = obj.GetProgram("fixture_echo");
        ns.Run(() =>
        {
            TcAttachment.Attach(ifindex, TcDirection.Ingress, echo);
            TcAttachment.Attach(ifindex, TcDirection.Egress, echo);
        });
        Assert.Contains("clsact", ns.Exec("tc", "qdisc", "show", "dev", hostSide), StringComparison.Ordinal);

        ns.Run(() => TcAttachment.DestroyClsact(ifindex));

        Assert.DoesNotContain("clsact", ns.Exec("tc", "qdisc", "show", "dev", hostSide), StringComparison.Ordinal);
        Assert.False(ns.Run(() => TcAttachment.IsAttached(ifindex, TcDirection.Ingress)));

        // Idempotent.
        ns.Run(() => TcAttachment.DestroyClsact(ifindex));
    }

    [Fact]
    public void AttachedProgram_SeesRealTraffic()
    {
        // A second namespace pings across a veth into ours; fixture_echo on our end's ingress counts
        // every packet in fixture_percpu[0].
        using var remote = NetworkNamespace.Create();
        var local = NetworkNamespace.UniqueName("sll", 12);
        var peer = NetworkNamespace.UniqueName("slr", 12);
        ns.Ip("link", "add", local, "type", "veth", "peer", "name", peer, "netns", remote.Name);
        ns.Ip("addr", "add", "10.213.0.1/24", "dev", local);
        ns.Ip("link", "set", local, "up");
        remote.Ip("addr", "add", "10.213.0.2/24", "dev", peer);
        remote.Ip("link", "set", peer, "up");
        var localIndex = ns.Run(() => NetInterface.IndexOf(local));
        var percpu = obj.GetMap("fixture_percpu");
        var before = Sum(percpu);

        using var attachment = ns.Run(() => TcAttachment.Attach(localIndex, TcDirection.Ingress, obj.GetProgram("fixture_echo")));
        remote.Exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.213.0.1");

        // At least the three echo requests (plus ARP) crossed the hook.
        Assert.True(Sum(percpu) - before >= 3, $"the ingress program counted {Sum(percpu) - before} packets");
        ns.Run(attachment.Dispose);
    }

    [Fact]
    public void Attach_UnknownIfindex_ThrowsWithContext()
    {
        var error = ns.Run(() => Assert.Throws<BpfException>(
            () => TcAttachment.Attach(987_654, TcDirection.Ingress, obj.GetProgram("fixture_echo"))));
        Assert.Contains("ifindex 987654", error.Message, StringComparison.Ordinal);
        Assert.Contains("ifindex 987654: ", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, error.Errno);
    }

    [Fact]
    public void Attach_UnloadedProgram_ThrowsInvalidOperation()
    {
        using var unloaded = BpfObject.Open(BindingsFixture.ObjectPath);
        Assert.Throws<InvalidOperationException>(() => TcAttachment.Attach(ifindex, TcDirection.Ingress, unloaded.GetProgram("fixture_echo")));
    }

    [Fact]
    public void NetInterface_IndexOf_FindsInterfaceOnlyInItsNamespace()
    {
        Assert.Equal(ifindex, ns.Run(() => NetInterface.IndexOf(hostSide)));

        // The root namespace has no such interface.
        var error = Assert.Throws<BpfException>(() => NetInterface.IndexOf(hostSide));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Contains(hostSide, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NetInterface.IndexOf("a-name-longer-than-fifteen"));
    }

    private static ulong Sum(BpfMap percpu)
    {
        var values = new uint[BpfMap.PossibleCpuCount];
        percpu.TryLookupPerCpu(0u, values.AsSpan());
        return values.Aggregate(0UL, (sum, v) => sum + v);
    }
}
