namespace Sluice.Bpf.Tests.Bindings;

public sealed class BpfObjectTests
{
    [Fact]
    public void Open_FixtureFile_ListsMapsAndProgramsAndLoads()
    {
        using var obj = BpfObject.Open(BindingsFixture.ObjectPath);
        Assert.False(obj.IsLoaded);
        Assert.Equal("bindings_fixture.bpf.o", obj.Name);
        var mapNames = obj.Maps.Select(m => m.Name).ToList();
        Assert.Contains("fixture_hash", mapNames);
        Assert.Contains("fixture_percpu", mapNames);
        Assert.Contains("fixture_lpm", mapNames);
        Assert.Contains("fixture_events", mapNames);
        Assert.Contains("fixture_state", mapNames);
        Assert.Equal(["fixture_echo", "fixture_emit"], obj.Programs.Select(p => p.Name).Order());

        // Before load nothing exists in the kernel yet.
        Assert.True(obj.GetMap("fixture_hash").Fd < 0);
        Assert.True(obj.GetProgram("fixture_echo").Fd < 0);

        obj.Load();

        Assert.True(obj.IsLoaded);
        Assert.True(obj.GetMap("fixture_hash").Fd >= 0);
        Assert.True(obj.GetProgram("fixture_echo").Fd >= 0);
        Assert.NotEqual(0u, obj.GetProgram("fixture_echo").Id);
    }

    [Fact]
    public void GetMap_DefinitionFromElf_ReportsTypeAndSizes()
    {
        using var obj = BpfObject.Open(BindingsFixture.ObjectPath);
        var hash = obj.GetMap("fixture_hash");
        Assert.Equal(BpfMapType.Hash, hash.Type);
        Assert.Equal(8u, hash.KeySize);
        Assert.Equal(16u, hash.ValueSize);
        Assert.Equal(1024u, hash.MaxEntries);
        Assert.Equal(BpfMapType.PercpuArray, obj.GetMap("fixture_percpu").Type);
        Assert.Equal(BpfMapType.LpmTrie, obj.GetMap("fixture_lpm").Type);
        Assert.Equal(BpfMapType.RingBuf, obj.GetMap("fixture_events").Type);
        Assert.Equal(64u * 1024, obj.GetMap("fixture_events").MaxEntries);
    }

    [Fact]
    public void GetMap_RodataBySectionName_FindsInternalMap()
    {
        using var obj = BpfObject.Open(BindingsFixture.ObjectPath);
        var rodata = obj.GetMap(".rodata");
        Assert.EndsWith(".rodata", rodata.Name, StringComparison.Ordinal);
        Assert.Equal(BpfMapType.Array, rodata.Type);
        Assert.Equal(16u, rodata.ValueSize);
    }

    [Fact]
    public void OpenMemory_FileBytes_LoadsAndRuns()
    {
        var bytes = File.ReadAllBytes(BindingsFixture.ObjectPath);
        using var obj = BpfObject.OpenMemory(bytes, "bindings_fixture.bpf.o");

        // The image is copied: clobbering the caller's buffer must not matter.
        Array.Clear(bytes);
        obj.Load();

        var result = obj.GetProgram("fixture_echo").TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"));
        Assert.Equal(BindingsFixture.TcActOk, result.ReturnValue);
        Assert.NotNull(obj.GetMap("bindings.rodata"));
    }

    [Fact]
    public void OpenEmbedded_FixtureResource_LoadsAndRuns()
    {
        using var obj = BpfObject.OpenEmbedded(BindingsFixture.FileName);
        obj.Load();

        var result = obj.GetProgram("fixture_echo").TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"));
        Assert.Equal(BindingsFixture.TcActOk, result.ReturnValue);
    }

    [Fact]
    public void EmbeddedObjects_MatchTheFilesBesideTheAssembly()
    {
        // Both come from bpf/build/ in the same build, so a deployment may use either.
        foreach (var name in new[] { BindingsFixture.FileName, BindingsFixture.RejectedFileName })
        {
            using var stream = typeof(BpfObject).Assembly.GetManifestResourceStream("bpf/" + name);
            Assert.NotNull(stream);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(File.ReadAllBytes(BpfObject.Locate(name)), copy.ToArray());
        }
    }

    [Fact]
    public void OpenEmbedded_UnknownResource_ThrowsListingEmbeddedObjects()
    {
        var error = Assert.Throws<BpfException>(() => BpfObject.OpenEmbedded("testing/no_such.bpf.o"));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("bpf/testing/no_such.bpf.o", error.Message, StringComparison.Ordinal);
        Assert.Contains("bpf/testing/bindings_fixture.bpf.o", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_MissingFile_ThrowsNamingPathsTried()
    {
        var error = Assert.Throws<FileNotFoundException>(() => BpfObject.Locate("no_such_object.bpf.o"));
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "bpf", "no_such_object.bpf.o"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_Fixture_ReturnsPathBesideAssembly()
    {
        var path = BpfObject.Locate(BindingsFixture.FileName);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "bpf", "testing", "bindings_fixture.bpf.o"), path);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Open_MissingFile_ThrowsEnoent()
    {
        var path = Path.Combine(Path.GetTempPath(), "slc-missing-" + Guid.NewGuid().ToString("N") + ".bpf.o");
        var error = Assert.Throws<BpfException>(() => BpfObject.Open(path));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal(path, error.Target);
        Assert.StartsWith("open BPF object " + path + ": ENOENT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenMemory_NotAnElf_ThrowsWithLibbpfReason()
    {
        var garbage = "this is not an ELF object, just text"u8.ToArray();
        var error = Assert.Throws<BpfException>(() => BpfObject.OpenMemory(garbage, "garbage.bpf.o"));
        Assert.NotEqual(0, error.Errno);
        Assert.Equal("garbage.bpf.o", error.Target);

        // libbpf's own diagnosis travels in the message instead of going to stderr.
        Assert.NotNull(error.Details);
        Assert.Contains("elf", error.Details, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void OpenMemory_EmptyImage_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => BpfObject.OpenMemory(ReadOnlySpan<byte>.Empty, "empty"));
    }

    [Fact]
    public void Load_VerifierRejects_ThrowsEaccesWithVerifierLog()
    {
        using var obj = BpfObject.Open(BpfObject.Locate(BindingsFixture.RejectedFileName));
        var error = Assert.Throws<BpfException>(obj.Load);

        Assert.Equal(Errno.EACCES, error.Errno);
        Assert.Equal("load BPF object", error.Operation);
        Assert.Contains("EACCES", error.Message, StringComparison.Ordinal);
        Assert.Contains("verifier", error.Message, StringComparison.Ordinal);

        // The kernel's reason from check_packet_access, i.e. the tail of the real verifier log.
        Assert.Contains("invalid access to packet", error.Message, StringComparison.Ordinal);
        Assert.False(obj.IsLoaded);
    }

    [Fact]
    public void GetMap_UnknownName_ThrowsEnoentNamingObjectAndMaps()
    {
        using var obj = BpfObject.Open(BindingsFixture.ObjectPath);
        var error = Assert.Throws<BpfException>(() => obj.GetMap("no_such_map"));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("'no_such_map' in bindings_fixture.bpf.o", error.Message, StringComparison.Ordinal);
        Assert.Contains("fixture_hash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetProgram_UnknownName_ThrowsEnoentNamingObjectAndPrograms()
    {
        using var obj = BpfObject.Open(BindingsFixture.ObjectPath);
        var error = Assert.Throws<BpfException>(() => obj.GetProgram("no_such_program"));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("'no_such_program' in bindings_fixture.bpf.o", error.Message, StringComparison.Ordinal);
        Assert.Contains("fixture_echo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Twice_ThrowsInvalidOperation()
    {
        using var obj = BindingsFixture.OpenLoaded();
        Assert.Throws<InvalidOperationException>(obj.Load);
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var obj = BindingsFixture.OpenLoaded();
        var map = obj.GetMap("fixture_hash");
        obj.Dispose();
        obj.Dispose();

        Assert.Throws<ObjectDisposedException>(() => map.Fd);
        Assert.Throws<ObjectDisposedException>(() => obj.GetProgram("fixture_echo").Fd);
    }
}
