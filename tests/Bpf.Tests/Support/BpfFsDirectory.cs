using System.Runtime.InteropServices;

namespace Sluice.Bpf.Tests.Support;

/// <summary>
/// A unique directory on a bpffs for a test's pins, removed with everything pinned in it on Dispose.
/// Uses /sys/fs/bpf when a bpffs is mounted there; otherwise mounts a private bpffs instance on a temporary
/// directory (each bpffs mount is its own instance) and unmounts it afterwards, leaving the host as it was.
/// </summary>
public sealed partial class BpfFsDirectory : IDisposable
{
    private const long BpfFsMagic = 0xcafe4a11;
    private readonly string? privateMount;

    private BpfFsDirectory(string path, string? privateMount)
    {
        Path = path;
        this.privateMount = privateMount;
    }

    /// <summary>The directory to pin into.</summary>
    public string Path { get; }

    /// <summary>Creates the directory.</summary>
    public static BpfFsDirectory Create()
    {
        var name = NetworkNamespace.UniqueName("slc", 11);
        if (IsBpfFs("/sys/fs/bpf"))
        {
            var path = System.IO.Path.Combine("/sys/fs/bpf", name);
            Directory.CreateDirectory(path);
            return new BpfFsDirectory(path, null);
        }

        var mountPoint = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name + "-bpffs");
        Directory.CreateDirectory(mountPoint);
        try
        {
            Command.Run("mount", "-t", "bpf", "bpf", mountPoint);
        }
        catch
        {
            Directory.Delete(mountPoint);
            throw;
        }

        return new BpfFsDirectory(mountPoint, mountPoint);
    }

    /// <summary>A path inside the directory.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Removes every pin and the directory (and the private mount, if one was made).</summary>
    public void Dispose()
    {
        if (privateMount is not null)
        {
            Command.TryRun("umount", privateMount);
            Directory.Delete(privateMount);
            return;
        }

        // bpffs supports unlink/rmdir, so ordinary recursive delete removes the pins.
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private static unsafe bool IsBpfFs(string path)
    {
        var buffer = stackalloc byte[256];
        var pathBytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pathPointer = pathBytes)
        {
            // struct statfs starts with the 8-byte f_type on 64-bit Linux.
            return StatFs(pathPointer, buffer) == 0 && *(long*)buffer == BpfFsMagic;
        }
    }

    [LibraryImport("libc", EntryPoint = "statfs")]
    private static unsafe partial int StatFs(byte* path, byte* buffer);
}
