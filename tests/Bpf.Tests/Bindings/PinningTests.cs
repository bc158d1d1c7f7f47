using Sluice.Bpf.Tests.Support;

namespace Sluice.Bpf.Tests.Bindings;

public sealed class PinningTests : IDisposable
{
    private readonly BpfFsDirectory pins = BpfFsDirectory.Create();

    public void Dispose() => pins.Dispose();

    [Fact]
    public void Pin_ThenOpenPinned_SharesTheSameMap()
    {
        var path = pins.PathOf("hash");
        using (var obj = BindingsFixture.OpenLoaded())
        {
            var hash = obj.GetMap("fixture_hash");
            hash.Update(new FixtureKey(1, 1), new FixtureValue(11, 11));
            hash.Pin(path);

            using var pinned = BpfMap.OpenPinned(path);
            pinned.Update(new FixtureKey(2, 2), new FixtureValue(22, 22));

            // Both handles reach one kernel map.
            Assert.True(hash.TryLookup(new FixtureKey(2, 2), out FixtureValue fromObject));
            Assert.Equal(new FixtureValue(22, 22), fromObject);
        }

        // The object is closed; the pin keeps the map and its contents alive.
        using var reopened = BpfMap.OpenPinned(path);
        Assert.Equal("fixture_hash", reopened.Name);
        Assert.Equal(BpfMapType.Hash, reopened.Type);
        Assert.Equal(8u, reopened.KeySize);
        Assert.Equal(16u, reopened.ValueSize);
        Assert.Equal(1024u, reopened.MaxEntries);
        Assert.True(reopened.TryLookup(new FixtureKey(1, 1), out FixtureValue value));
        Assert.Equal(new FixtureValue(11, 11), value);
        Assert.Throws<ArgumentException>(() => reopened.TryLookup(1u, out FixtureValue _));
    }

    [Fact]
    public void Unpin_RemovesThePath()
    {
        var path = pins.PathOf("percpu");
        using var obj = BindingsFixture.OpenLoaded();
        var map = obj.GetMap("fixture_percpu");
        map.Pin(path);
        Assert.True(File.Exists(path));

        map.Unpin(path);

        Assert.False(File.Exists(path));
        var error = Assert.Throws<BpfException>(() => BpfMap.OpenPinned(path));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("open pinned map " + path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pin_OccupiedPath_ThrowsEexist()
    {
        var path = pins.PathOf("taken");
        using var obj = BindingsFixture.OpenLoaded();
        obj.GetMap("fixture_hash").Pin(path);

        var error = Assert.Throws<BpfException>(() => obj.GetMap("fixture_lpm").Pin(path));
        Assert.Equal(Errno.EEXIST, error.Errno);
    }

    [Fact]
    public void Pin_OutsideBpfFs_ThrowsWithHint()
    {
        using var obj = BindingsFixture.OpenLoaded();
        var path = Path.Combine(Path.GetTempPath(), "slc-not-bpffs-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<BpfException>(() => obj.GetMap("fixture_hash").Pin(path));
        Assert.Contains("bpffs", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ReusePinned_BeforeLoad_AdoptsExistingMapAndItsState()
    {
        var path = pins.PathOf("state");
        using var first = BindingsFixture.OpenLoaded();
        first.GetMap("fixture_hash").Update(new FixtureKey(9, 9), new FixtureValue(99, 99));
        first.GetMap("fixture_hash").Pin(path);

        using var second = BindingsFixture.OpenLoaded(o => o.GetMap("fixture_hash").ReusePinned(path));

        Assert.True(second.GetMap("fixture_hash").TryLookup(new FixtureKey(9, 9), out FixtureValue value));
        Assert.Equal(new FixtureValue(99, 99), value);

        // Writes through either object land in the same map.
        second.GetMap("fixture_hash").Update(new FixtureKey(8, 8), new FixtureValue(88, 88));
        Assert.True(first.GetMap("fixture_hash").TryLookup(new FixtureKey(8, 8), out FixtureValue _));
    }

    [Fact]
    public void ReusePinned_IncompatibleMap_ThrowsNamingTheDifferences()
    {
        var path = pins.PathOf("lpm");
        using var first = BindingsFixture.OpenLoaded();
        first.GetMap("fixture_lpm").Pin(path);

        using var second = BpfObject.Open(BindingsFixture.ObjectPath);
        var error = Assert.Throws<BpfException>(() => second.GetMap("fixture_hash").ReusePinned(path));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Contains("fixture_hash", error.Message, StringComparison.Ordinal);
        Assert.Contains("type LpmTrie (pinned) vs Hash", error.Message, StringComparison.Ordinal);
        Assert.Contains("value size 4 (pinned) vs 16", error.Message, StringComparison.Ordinal);

        // Nothing was adopted: the object still loads with a map of its own.
        second.Load();
        Assert.Equal(BpfMapType.Hash, second.GetMap("fixture_hash").Type);
        Assert.Empty(second.GetMap("fixture_hash").GetKeys<FixtureKey>());
    }

    [Fact]
    public void ReusePinned_MissingPin_ThrowsEnoent()
    {
        using var obj = BpfObject.Open(BindingsFixture.ObjectPath);
        var error = Assert.Throws<BpfException>(() => obj.GetMap("fixture_hash").ReusePinned(pins.PathOf("absent")));
        Assert.Equal(Errno.ENOENT, error.Errno);
    }

    [Fact]
    public void ProgramPin_ThenOpenPinned_RunsAfterObjectCloses()
    {
        var path = pins.PathOf("echo");
        uint id;
        using (var obj = BindingsFixture.OpenLoaded())
        {
            var program = obj.GetProgram("fixture_echo");
            program.Pin(path);
            id = program.Id;
        }

        using var pinned = BpfProgram.OpenPinned(path);
        Assert.Equal("fixture_echo", pinned.Name);
        Assert.Equal(id, pinned.Id);
        var result = pinned.TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"));
        Assert.Equal(BindingsFixture.TcActOk, result.ReturnValue);
    }

    [Fact]
    public void OpenPinned_WrongKind_ThrowsEinval()
    {
        var mapPath = pins.PathOf("amap");
        var programPath = pins.PathOf("aprog");
        using var obj = BindingsFixture.OpenLoaded();
        obj.GetMap("fixture_hash").Pin(mapPath);
        obj.GetProgram("fixture_echo").Pin(programPath);

        var asProgram = Assert.Throws<BpfException>(() => BpfProgram.OpenPinned(mapPath));
        Assert.Equal(Errno.EINVAL, asProgram.Errno);
        Assert.Contains("not a program", asProgram.Message, StringComparison.Ordinal);

        var asMap = Assert.Throws<BpfException>(() => BpfMap.OpenPinned(programPath));
        Assert.Contains("not a map", asMap.Message, StringComparison.Ordinal);
    }
}
