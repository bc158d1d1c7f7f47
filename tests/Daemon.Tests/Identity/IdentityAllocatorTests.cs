using Sluice.Daemon.Identities;
using Sluice.Policy.Labels;
using Xunit;

namespace Sluice.Daemon.Tests.Identities;

public sealed class IdentityAllocatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "slc-id-" + Guid.NewGuid().ToString("N")[..8]);

    private static LabelSet Labels(params string[] labels) => LabelSet.Parse(labels);

    [Fact]
    public void Allocate_FirstLabelSet_Gets256()
    {
        var allocator = IdentityAllocator.Open(_dir);

        Assert.Equal(256u, allocator.Allocate(Labels("k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop")));
    }

    [Fact]
    public void Allocate_SameLabelsInAnotherOrder_SameNumber()
    {
        var allocator = IdentityAllocator.Open(_dir);

        uint a = allocator.Allocate(Labels("k8s:app=web", "k8s:tier=front"));
        uint b = allocator.Allocate(Labels("k8s:tier=front", "k8s:app=web"));

        Assert.Equal(a, b);
    }

    [Fact]
    public void Allocate_DifferentLabels_DifferentNumbers()
    {
        var allocator = IdentityAllocator.Open(_dir);

        uint a = allocator.Allocate(Labels("k8s:app=web"));
        uint b = allocator.Allocate(Labels("k8s:app=db"));
        uint c = allocator.Allocate(Labels("k8s:app=web", "k8s:io.kubernetes.pod.namespace=other"));

        Assert.Equal([256u, 257u, 258u], new[] { a, b, c });
    }

    [Fact]
    public void Open_AfterRestart_SameLabelsKeepTheirNumbersAndNewOnesContinue()
    {
        var first = IdentityAllocator.Open(_dir);
        uint web = first.Allocate(Labels("k8s:app=web"));
        uint db = first.Allocate(Labels("k8s:app=db"));

        var second = IdentityAllocator.Open(_dir);

        Assert.Equal(db, second.Allocate(Labels("k8s:app=db")));
        Assert.Equal(web, second.Allocate(Labels("k8s:app=web")));
        Assert.Equal(258u, second.Allocate(Labels("k8s:app=cache")));
        Assert.True(second.TryGetLabels(web, out var labels));
        Assert.Equal("k8s:app=web", labels.ToString());
    }

    [Fact]
    public void Allocate_PersistsBeforeReturning_NoTemporaryFileLeft()
    {
        var allocator = IdentityAllocator.Open(_dir);

        allocator.Allocate(Labels("k8s:app=web"));

        Assert.Equal([IdentityAllocator.FileName], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Contains("k8s:app=web", File.ReadAllText(allocator.StatePath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\": 99, \"identities\": []}")]
    [InlineData("{\"version\": 1, \"identities\": [{\"id\": 12, \"labels\": [\"k8s:a=b\"]}]}")]
    [InlineData("{\"version\": 1, \"identities\": [{\"id\": 300, \"labels\": [\"k8s:a=b\"]}, {\"id\": 300, \"labels\": [\"k8s:c=d\"]}]}")]
    [InlineData("{\"version\": 1, \"identities\": [{\"id\": 300, \"labels\": [\"k8s:a=b\"]}, {\"id\": 301, \"labels\": [\"k8s:a=b\"]}]}")]
    [InlineData("{\"version\": 1, \"identities\": [{\"id\": 300, \"labels\": [\"k8s:=b\"]}]}")]
    public void Open_CorruptStateFile_ThrowsNamingTheFile(string content)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, IdentityAllocator.FileName), content);

        var ex = Assert.Throws<InvalidDataException>(() => IdentityAllocator.Open(_dir));

        Assert.Contains(IdentityAllocator.FileName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_ConcurrentCallers_EachLabelSetGetsOneNumber()
    {
        var allocator = IdentityAllocator.Open(_dir);

        var results = new uint[64];
        Parallel.For(0, 64, i => results[i] = allocator.Allocate(Labels($"k8s:app=a{i % 8}")));

        Assert.Equal(8, results.Distinct().Count());
        Assert.Equal(Enumerable.Range(256, 8).Select(i => (uint)i), results.Distinct().Order());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
