namespace Sluice.Bpf.Tests.Bindings;

public sealed class BpfMapTests : IDisposable
{
    private readonly BpfObject obj = BindingsFixture.OpenLoaded();

    private BpfMap Hash => obj.GetMap("fixture_hash");

    public void Dispose() => obj.Dispose();

    [Fact]
    public void Update_ThenTryLookup_ReturnsValue()
    {
        Hash.Update(new FixtureKey(1, 2), new FixtureValue(10, 20));

        Assert.True(Hash.TryLookup(new FixtureKey(1, 2), out FixtureValue value));
        Assert.Equal(new FixtureValue(10, 20), value);
    }

    [Fact]
    public void TryLookup_AbsentKey_ReturnsFalse()
    {
        Assert.False(Hash.TryLookup(new FixtureKey(7, 7), out FixtureValue value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void Update_Any_OverwritesExisting()
    {
        Hash.Update(new FixtureKey(1, 1), new FixtureValue(1, 1));
        Hash.Update(new FixtureKey(1, 1), new FixtureValue(2, 2));

        Assert.True(Hash.TryLookup(new FixtureKey(1, 1), out FixtureValue value));
        Assert.Equal(new FixtureValue(2, 2), value);
    }

    [Fact]
    public void Update_NoExistOnPresentKey_ThrowsEexist()
    {
        Hash.Update(new FixtureKey(3, 3), new FixtureValue(1, 1), MapUpdateFlags.NoExist);

        var error = Assert.Throws<BpfException>(() => Hash.Update(new FixtureKey(3, 3), new FixtureValue(2, 2), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("fixture_hash", error.Target);
        Assert.True(Hash.TryLookup(new FixtureKey(3, 3), out FixtureValue kept));
        Assert.Equal(new FixtureValue(1, 1), kept);
    }

    [Fact]
    public void Update_ExistOnAbsentKey_ThrowsEnoent()
    {
        var error = Assert.Throws<BpfException>(() => Hash.Update(new FixtureKey(4, 4), new FixtureValue(1, 1), MapUpdateFlags.Exist));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.False(Hash.TryLookup(new FixtureKey(4, 4), out FixtureValue _));
    }

    [Fact]
    public void Delete_PresentThenAbsent_ReturnsTrueThenFalse()
    {
        Hash.Update(new FixtureKey(5, 5), new FixtureValue(1, 1));

        Assert.True(Hash.Delete(new FixtureKey(5, 5)));
        Assert.False(Hash.TryLookup(new FixtureKey(5, 5), out FixtureValue _));
        Assert.False(Hash.Delete(new FixtureKey(5, 5)));
    }

    [Fact]
    public void Update_HashFull_ThrowsE2bigWithHint()
    {
        using var small = BindingsFixture.OpenLoaded(o => o.GetMap("fixture_hash").SetMaxEntries(2));
        var map = small.GetMap("fixture_hash");
        map.Update(new FixtureKey(1, 0), new FixtureValue());
        map.Update(new FixtureKey(2, 0), new FixtureValue());

        // kernel/bpf/hashtab.c htab_map_update_elem answers E2BIG when max_entries is reached.
        var error = Assert.Throws<BpfException>(() => map.Update(new FixtureKey(3, 0), new FixtureValue()));
        Assert.Equal(Errno.E2BIG, error.Errno);
        Assert.Contains("map entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenericOps_KeySizeMismatch_ThrowArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => Hash.Update(1u, new FixtureValue()));
        Assert.Contains("key size 8", error.Message, StringComparison.Ordinal);
        Assert.Contains("UInt32 is 4 bytes", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Hash.TryLookup(1UL << 40, out byte _));
        Assert.Throws<ArgumentException>(() => Hash.Delete((ushort)1));
        Assert.Throws<ArgumentException>(() => Hash.GetKeys<uint>());
    }

    [Fact]
    public void GenericOps_ValueSizeMismatch_ThrowArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => Hash.Update(new FixtureKey(1, 1), 5UL));
        Assert.Contains("value size 16", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Hash.TryLookup(new FixtureKey(1, 1), out FixtureKey _));
        Assert.Throws<ArgumentException>(() => Hash.UpdateBatch<FixtureKey, ulong>([new FixtureKey(1, 1)], [1UL]));
    }

    [Fact]
    public void GetKeys_AfterUpdates_ReturnsEveryKeyOnce()
    {
        var expected = Enumerable.Range(0, 50).Select(i => new FixtureKey((uint)i, (uint)(i * 3))).ToList();
        foreach (var key in expected)
        {
            Hash.Update(key, new FixtureValue(key.A, key.B));
        }

        var keys = Hash.GetKeys<FixtureKey>().ToList();
        Assert.Equal(expected.Count, keys.Count);
        Assert.Equal(expected.ToHashSet(), keys.ToHashSet());
    }

    [Fact]
    public void GetKeys_EmptyMap_ReturnsEmpty()
    {
        Assert.Empty(Hash.GetKeys<FixtureKey>());
    }

    [Fact]
    public void UpdateBatch_LookupBatch_DeleteBatch_RoundTrip()
    {
        var keys = Enumerable.Range(0, 300).Select(i => new FixtureKey((uint)i, 9)).ToArray();
        var values = keys.Select(k => new FixtureValue(k.A * 2, k.A * 3)).ToArray();

        Assert.Equal(300, Hash.UpdateBatch<FixtureKey, FixtureValue>(keys, values));

        var readKeys = new FixtureKey[400];
        var readValues = new FixtureValue[400];
        var read = Hash.LookupBatch<FixtureKey, FixtureValue>(readKeys, readValues);
        Assert.Equal(300, read);
        for (var i = 0; i < read; i++)
        {
            Assert.Equal(new FixtureValue(readKeys[i].A * 2, readKeys[i].A * 3), readValues[i]);
        }

        Assert.Equal(keys.ToHashSet(), readKeys.Take(read).ToHashSet());

        // Deleting a mix of present and absent keys removes the present ones and skips the rest.
        FixtureKey[] toDelete = [keys[0], new FixtureKey(999, 9), keys[1], keys[2], new FixtureKey(998, 9)];
        Assert.Equal(3, Hash.DeleteBatch<FixtureKey>(toDelete));
        Assert.Equal(297, Hash.GetKeys<FixtureKey>().Count());
        Assert.False(Hash.TryLookup(keys[1], out FixtureValue _));
        Assert.True(Hash.TryLookup(keys[3], out FixtureValue _));
    }

    [Fact]
    public void LookupBatch_SmallerBuffer_ReadsOnlyCapacity()
    {
        var keys = Enumerable.Range(0, 40).Select(i => new FixtureKey((uint)i, 1)).ToArray();
        Hash.UpdateBatch<FixtureKey, FixtureValue>(keys, keys.Select(k => new FixtureValue(k.A, 0)).ToArray());

        var readKeys = new FixtureKey[10];
        var readValues = new FixtureValue[10];
        Assert.Equal(10, Hash.LookupBatch<FixtureKey, FixtureValue>(readKeys, readValues));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(readKeys[i].A, readValues[i].X));
    }

    [Fact]
    public void UpdateBatch_NoExistOnPresentKey_ThrowsSayingHowManyWereWritten()
    {
        Hash.Update(new FixtureKey(2, 0), new FixtureValue(7, 7));
        FixtureKey[] keys = [new(0, 0), new(1, 0), new(2, 0), new(3, 0)];
        var values = new FixtureValue[4];

        var error = Assert.Throws<BpfException>(() => Hash.UpdateBatch<FixtureKey, FixtureValue>(keys, values, MapUpdateFlags.NoExist));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains("2 of 4 elements were written", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateBatch_MismatchedLengths_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Hash.UpdateBatch<FixtureKey, FixtureValue>([new FixtureKey(1, 1)], []));
    }

    [Fact]
    public void LpmTrie_Lookup_ReturnsLongestMatchingPrefix()
    {
        var lpm = obj.GetMap("fixture_lpm");
        lpm.Update(FixtureLpmKey.For("10.0.0.0", 8), 8u);
        lpm.Update(FixtureLpmKey.For("10.1.0.0", 16), 16u);

        Assert.True(lpm.TryLookup(FixtureLpmKey.For("10.1.2.3", 32), out uint inner));
        Assert.Equal(16u, inner);
        Assert.True(lpm.TryLookup(FixtureLpmKey.For("10.2.2.3", 32), out uint outer));
        Assert.Equal(8u, outer);
        Assert.False(lpm.TryLookup(FixtureLpmKey.For("11.0.0.1", 32), out uint _));
    }

    [Fact]
    public void GetKeys_KeyWithInlineArray_ReturnsEveryKeyOnce()
    {
        // Inline-array structs have no usable default equality (ValueType.Equals throws for them), so the
        // de-duplication in GetKeys must compare bytes.
        var lpm = obj.GetMap("fixture_lpm");
        lpm.Update(FixtureLpmKey.For("10.0.0.0", 8), 8u);
        lpm.Update(FixtureLpmKey.For("10.1.0.0", 16), 16u);
        lpm.Update(FixtureLpmKey.For("192.168.1.1", 32), 32u);

        var keys = lpm.GetKeys<InlineArrayLpmKey>().ToList();

        Assert.Equal(3, keys.Count);
        Assert.Equal(
            ["10.0.0.0/8", "10.1.0.0/16", "192.168.1.1/32"],
            keys.Select(k => $"{k.Address[0]}.{k.Address[1]}.{k.Address[2]}.{k.Address[3]}/{k.PrefixLength}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LpmTrie_BatchOps_FallBackToPerElement()
    {
        // LPM tries have no batch ops in the kernel (lpm_trie.c sets no map_*_batch): the binding falls back.
        var lpm = obj.GetMap("fixture_lpm");
        FixtureLpmKey[] keys = [FixtureLpmKey.For("10.0.0.0", 8), FixtureLpmKey.For("172.16.0.0", 12), FixtureLpmKey.For("192.168.1.0", 24)];
        uint[] values = [8, 12, 24];

        Assert.Equal(3, lpm.UpdateBatch<FixtureLpmKey, uint>(keys, values));

        var readKeys = new FixtureLpmKey[8];
        var readValues = new uint[8];
        var read = lpm.LookupBatch<FixtureLpmKey, uint>(readKeys, readValues);
        Assert.Equal(3, read);
        Assert.Equal([8u, 12u, 24u], readValues.Take(read).Order());
        for (var i = 0; i < read; i++)
        {
            Assert.Equal(readKeys[i].PrefixLength, readValues[i]);
        }

        Assert.Equal(2, lpm.DeleteBatch<FixtureLpmKey>([keys[0], keys[2], FixtureLpmKey.For("1.0.0.0", 8)]));
        Assert.Single(lpm.GetKeys<FixtureLpmKey>());
    }

    [Fact]
    public void PerCpu_AfterProgramRuns_SumsToRunCount()
    {
        var percpu = obj.GetMap("fixture_percpu");
        var cpus = BpfMap.PossibleCpuCount;
        var runs = new uint[cpus];
        Assert.True(percpu.TryLookupPerCpu(0u, runs.AsSpan()));
        Assert.All(runs, r => Assert.Equal(0u, r));

        obj.GetProgram("fixture_echo").TestRun(BindingsFixture.Ipv4Frame("192.0.2.1"), repeat: 25);

        Assert.True(percpu.TryLookupPerCpu(0u, runs.AsSpan()));
        Assert.Equal(25u, runs.Aggregate(0u, (sum, r) => sum + r));
    }

    [Fact]
    public void PerCpu_UpdateThenLookup_RoundTripsEveryCpuSlot()
    {
        // 4-byte values: each CPU's slot is padded to 8 bytes by the kernel, which the binding unpacks.
        var percpu = obj.GetMap("fixture_percpu");
        var cpus = BpfMap.PossibleCpuCount;
        var written = Enumerable.Range(0, cpus).Select(i => 0xA0000000u + (uint)i).ToArray();
        percpu.UpdatePerCpu(2u, (ReadOnlySpan<uint>)written);

        var read = new uint[cpus];
        Assert.True(percpu.TryLookupPerCpu(2u, read.AsSpan()));
        Assert.Equal(written, read);
    }

    [Fact]
    public void PerCpu_WrongUse_ThrowsArgumentException()
    {
        var percpu = obj.GetMap("fixture_percpu");
        Assert.Throws<ArgumentException>(() => percpu.TryLookup(0u, out uint _));
        Assert.Throws<ArgumentException>(() => percpu.TryLookupPerCpu(0u, new uint[Math.Max(0, BpfMap.PossibleCpuCount - 1)].AsSpan()));
        Assert.Throws<ArgumentException>(() => Hash.TryLookupPerCpu(new FixtureKey(), new FixtureValue[64].AsSpan()));
        Assert.Throws<NotSupportedException>(() => percpu.UpdateBatch<uint, uint>([0u], [0u]));
    }

    [Fact]
    public void PossibleCpuCount_MatchesSysfs()
    {
        // /sys/devices/system/cpu/possible is a range list such as "0-1" or "0-3,5".
        var text = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
        var count = text.Split(',').Sum(range =>
        {
            var bounds = range.Split('-').Select(int.Parse).ToArray();
            return bounds.Length == 1 ? 1 : bounds[1] - bounds[0] + 1;
        });
        Assert.Equal(count, BpfMap.PossibleCpuCount);
    }

    [Fact]
    public void SetMaxEntries_BeforeLoad_TakesEffectInKernel()
    {
        using var resized = BindingsFixture.OpenLoaded(o =>
        {
            o.GetMap("fixture_hash").SetMaxEntries(4096);
            o.GetMap("fixture_events").SetMaxEntries(256 * 1024);
        });
        Assert.Equal(4096u, resized.GetMap("fixture_hash").MaxEntries);
        Assert.Equal(256u * 1024, resized.GetMap("fixture_events").MaxEntries);

        // More elements than the ELF's 1024 fit now.
        var keys = Enumerable.Range(0, 2000).Select(i => new FixtureKey((uint)i, 0)).ToArray();
        Assert.Equal(2000, resized.GetMap("fixture_hash").UpdateBatch<FixtureKey, FixtureValue>(keys, new FixtureValue[2000]));
    }

    [Fact]
    public void SetInitialValue_Rodata_ChangesProgramBehaviour()
    {
        var config = new FixtureConfig { Verdict = BindingsFixture.TcActShot, MarkAdd = 5, Magic = 0x1122334455667788 };
        using var configured = BindingsFixture.OpenLoaded(o => o.GetMap(".rodata").SetInitialValue(config));

        var contextOut = new byte[SkbContext.Size];
        var result = configured.GetProgram("fixture_echo").TestRun(
            BindingsFixture.Ipv4Frame("192.0.2.1"), SkbContext.Create(mark: 100), contextOut: contextOut);

        Assert.Equal(BindingsFixture.TcActShot, result.ReturnValue);
        Assert.Equal(105u, SkbContext.Mark(contextOut));
        Assert.Equal(0x55667788u, SkbContext.Cb(contextOut, 3));
        Assert.Equal(0x11223344u, SkbContext.Cb(contextOut, 4));
    }

    [Fact]
    public void SetInitialValue_WrongSize_ThrowsArgumentException()
    {
        using var unloaded = BpfObject.Open(BindingsFixture.ObjectPath);
        Assert.Throws<ArgumentException>(() => unloaded.GetMap(".rodata").SetInitialValue(1UL));
    }

    [Fact]
    public void ConfigureAfterLoad_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => Hash.SetMaxEntries(10));
        Assert.Throws<InvalidOperationException>(() => obj.GetMap(".rodata").SetInitialValue(new FixtureConfig()));
        Assert.Throws<InvalidOperationException>(() => Hash.ReusePinned("/sys/fs/bpf/anything"));
    }

    [Fact]
    public void ElementOps_BeforeLoad_ThrowInvalidOperation()
    {
        using var unloaded = BpfObject.Open(BindingsFixture.ObjectPath);
        var error = Assert.Throws<InvalidOperationException>(() => unloaded.GetMap("fixture_hash").Update(new FixtureKey(), new FixtureValue()));
        Assert.Contains("load its object", error.Message, StringComparison.Ordinal);
    }
}
