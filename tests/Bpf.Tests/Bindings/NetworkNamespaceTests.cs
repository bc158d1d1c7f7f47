using Sluice.Bpf.Tests.Support;

namespace Sluice.Bpf.Tests.Bindings;

/// <summary>The namespace helper other BPF tests rely on: it must really switch namespaces, and clean up.</summary>
public sealed class NetworkNamespaceTests
{
    [Fact]
    public void Run_ExecutesInsideTheNamespace_CallerStaysOutside()
    {
        using var ns = NetworkNamespace.Create();
        var root = NamespaceInode();

        var inside = ns.Run(NamespaceInode);

        Assert.NotEqual(root, inside);
        Assert.Equal(root, NamespaceInode());

        // A fresh namespace has loopback only; an interface made inside is invisible outside.
        Assert.Equal(1, ns.Run(() => NetInterface.IndexOf("lo")));
        var veth = NetworkNamespace.UniqueName("slv", 12);
        ns.AddVethPair(veth, NetworkNamespace.UniqueName("slw", 12));
        Assert.True(ns.Run(() => NetInterface.IndexOf(veth)) > 1);
        Assert.Throws<BpfException>(() => NetInterface.IndexOf(veth));
    }

    [Fact]
    public void Run_Exception_PropagatesToCaller()
    {
        using var ns = NetworkNamespace.Create();
        var error = Assert.Throws<InvalidOperationException>(() => ns.Run(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", error.Message);
    }

    [Fact]
    public void Dispose_RemovesNamespaceAndItsInterfaces()
    {
        var ns = NetworkNamespace.Create();
        var name = ns.Name;
        ns.AddVethPair(NetworkNamespace.UniqueName("slx", 12), NetworkNamespace.UniqueName("sly", 12));
        Assert.Contains(name, Command.Run("ip", "netns", "list"), StringComparison.Ordinal);

        ns.Dispose();
        ns.Dispose();

        Assert.DoesNotContain(name, Command.Run("ip", "netns", "list"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine("/run/netns", name)));
        Assert.Throws<ObjectDisposedException>(() => ns.Run(() => 0));
    }

    [Fact]
    public void UniqueName_FitsInterfaceNameLimit()
    {
        var names = Enumerable.Range(0, 100).Select(_ => NetworkNamespace.UniqueName("slc")).ToList();
        Assert.All(names, n => Assert.InRange(n.Length, 7, 15));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Throws<ArgumentException>(() => NetworkNamespace.UniqueName("a-very-long-prefix"));
    }

    // The namespace identity of the calling thread: the inode behind /proc/thread-self/ns/net.
    private static string NamespaceInode() => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? string.Empty;
}
