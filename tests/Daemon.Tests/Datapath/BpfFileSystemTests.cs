using Sluice.Daemon.Datapath;
using Xunit;

namespace Sluice.Daemon.Tests.Datapath;

public sealed class BpfFileSystemTests
{
    [Theory]
    [InlineData("/proc/self/status", "proc")]
    [InlineData("/proc", "proc")]
    [InlineData("/", null)]
    public void FileSystemTypeOf_KnownMounts_ReportsTheLongestMountPrefix(string path, string? expected)
    {
        string? type = BpfFileSystem.FileSystemTypeOf(path);

        if (expected is null)
        {
            Assert.False(string.IsNullOrEmpty(type));
        }
        else
        {
            Assert.Equal(expected, type);
        }
    }

    [Fact]
    public void EnsurePinDirectory_NotOnBpffs_ThrowsWithMountHint()
    {
        string dir = Path.Combine(Path.GetTempPath(), "slc-pin-" + Guid.NewGuid().ToString("N")[..8]);

        var ex = Assert.Throws<IOException>(() => BpfFileSystem.EnsurePinDirectory(dir));

        Assert.Contains("mount -t bpf bpf", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}
