namespace Sluice.Daemon.Datapath;

/// <summary>
/// Checks that a pin directory lies on a bpf file system. Pinning anywhere else fails with a bare errno,
/// and a common trap is a fresh sysfs (e.g. under <c>ip netns exec</c>, which remounts /sys) hiding the bpffs
/// normally mounted at /sys/fs/bpf.
/// </summary>
public static class BpfFileSystem
{
    /// <summary>
    /// The file-system type of the mount holding <paramref name="path"/> (from /proc/self/mountinfo: the
    /// longest mount point that is a prefix of the path), or null when it cannot be told.
    /// </summary>
    public static string? FileSystemTypeOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        string? best = null;
        string? type = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields: id parent major:minor root mountpoint options [optional...] - fstype source superopts
            var fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || dash < 0 || dash + 1 >= fields.Length)
            {
                continue;
            }

            string mountPoint = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            bool contains = full == mountPoint || full.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (contains && (best is null || mountPoint.Length >= best.Length))
            {
                best = mountPoint;
                type = fields[dash + 1];
            }
        }

        return type;
    }

    /// <summary>Creates <paramref name="pinDir"/> if needed and checks it is on bpffs.</summary>
    /// <exception cref="IOException">The directory is not on a bpf file system; the message says how to mount one.</exception>
    public static void EnsurePinDirectory(string pinDir)
    {
        ArgumentNullException.ThrowIfNull(pinDir);
        string? type = FileSystemTypeOf(pinDir);
        if (type != "bpf")
        {
            throw new IOException(
                $"bpfPinDir {pinDir} is not on a bpf file system (it is on {type ?? "an unknown file system"}); " +
                "mount one first, e.g. 'mount -t bpf bpf /sys/fs/bpf', or point bpfPinDir at a bpffs mount");
        }

        Directory.CreateDirectory(pinDir);
    }
}
