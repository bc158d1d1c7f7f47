using System.Reflection;
using System.Runtime.InteropServices;

namespace Sluice.Bpf.Tests.Bindings;

public sealed class BtfTests : IDisposable
{
    private readonly Btf btf = Btf.ParseFile(BindingsFixture.ObjectPath);

    public void Dispose() => btf.Dispose();

    [Fact]
    public void FindStruct_FixtureConfig_ReportsClangLayout()
    {
        var layout = btf.FindStruct("fixture_config");

        Assert.NotNull(layout);
        Assert.Equal(16, layout.Size);
        Assert.Equal(["verdict", "mark_add", "magic"], layout.Members.Select(m => m.Name));
        Assert.Equal(64u, layout.Member("magic").BitOffset);
        Assert.Equal(8, layout.Member("magic").ByteOffset);
        Assert.Equal(8, layout.Member("magic").ByteSize);
        Assert.Equal(0u, layout.Member("magic").BitfieldSize);
        Assert.Throws<KeyNotFoundException>(() => layout.Member("nope"));
    }

    [Fact]
    public void FindStruct_Unknown_ReturnsNull()
    {
        Assert.Null(btf.FindStruct("no_such_struct"));
    }

    [Theory]
    [InlineData(typeof(FixtureConfig), "fixture_config")]
    [InlineData(typeof(FixtureKey), "fixture_key")]
    [InlineData(typeof(FixtureValue), "fixture_value")]
    [InlineData(typeof(FixtureLpmKey), "fixture_lpm_key")]
    [InlineData(typeof(FixtureRecord), "fixture_record")]
    public void FixtureMirrors_MatchBtfSizesAndOffsets(Type mirror, string cStruct)
    {
        var layout = btf.FindStruct(cStruct);
        Assert.NotNull(layout);
        Assert.Equal(layout.Size, Marshal.SizeOf(mirror));

        var fields = mirror.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .OrderBy(f => Marshal.OffsetOf(mirror, f.Name).ToInt32())
            .ToList();
        Assert.Equal(layout.Members.Count, fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            Assert.Equal(layout.Members[i].ByteOffset, Marshal.OffsetOf(mirror, fields[i].Name).ToInt32());
            Assert.Equal(layout.Members[i].ByteSize, Marshal.SizeOf(fields[i].FieldType));
        }
    }

    [Fact]
    public void ParseFile_NotAnObject_ThrowsWithPath()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not BTF, not ELF");
            var error = Assert.Throws<BpfException>(() => Btf.ParseFile(path));
            Assert.Equal(path, error.Target);
            Assert.NotEqual(0, error.Errno);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ParseFile_Missing_ThrowsEnoent()
    {
        var error = Assert.Throws<BpfException>(() => Btf.ParseFile("/nonexistent/slc-missing.bpf.o"));
        Assert.Equal(Errno.ENOENT, error.Errno);
    }
}
