using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>
/// A BPF program: borrowed from a <see cref="BpfObject"/> (valid while the object is open) or owned through
/// a pinned path (<see cref="OpenPinned"/>, closed by <see cref="Dispose"/>).
/// </summary>
public sealed unsafe class BpfProgram : IDisposable
{
    private readonly BpfObject? owner;
    private readonly nint pointer;
    private readonly SafeFdHandle? ownedFd;
    private readonly string name;

    internal BpfProgram(BpfObject owner, nint pointer)
    {
        this.owner = owner;
        this.pointer = pointer;
        name = Utf8.Read(Libbpf.ProgramName(pointer)) ?? string.Empty;
    }

    private BpfProgram(SafeFdHandle fd, string name)
    {
        ownedFd = fd;
        this.name = name;
    }

    /// <summary>The program's function name (for a pinned program: the kernel's name, at most 15 characters).</summary>
    public string Name => name;

    /// <summary>The program's file descriptor; negative before the owning object is loaded.</summary>
    public int Fd
    {
        get
        {
            if (ownedFd is not null)
            {
                ObjectDisposedException.ThrowIf(ownedFd.IsClosed, this);
                return ownedFd.Fd;
            }

            ObjectDisposedException.ThrowIf(owner!.IsClosed, owner);
            return Libbpf.ProgramFd(pointer);
        }
    }

    /// <summary>The kernel's id for the loaded program (what <c>bpftool prog</c> and tc queries report).</summary>
    public uint Id => ReadInfo().Id;

    /// <summary>Opens a program pinned at <paramref name="path"/>; the returned program owns its fd.</summary>
    public static BpfProgram OpenPinned(string path)
    {
        var fd = BpfMap.OpenPinnedFd(path, "program");
        try
        {
            var info = ReadInfo(fd.Fd, path);
            return new BpfProgram(fd, Utf8.ReadFixed(info.Name, 16));
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Pins the loaded program at <paramref name="path"/> on a bpffs.</summary>
    public void Pin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pathBytes = Utf8.Terminated(path);
        fixed (byte* pathPointer = pathBytes)
        {
            BpfException.ThrowIfFailed(Libbpf.ObjectPin(LoadedFd(), pathPointer), $"pin program {name} at", path, BpfMap.PinHint);
        }
    }

    /// <summary>
    /// Runs the program on <paramref name="data"/> in the kernel (<c>BPF_PROG_TEST_RUN</c>) without attaching it.
    /// </summary>
    /// <param name="data">The packet (for tc programs: an Ethernet frame, at least 14 bytes).</param>
    /// <param name="context">The context image; for tc programs a <c>struct __sk_buff</c> built with
    /// <see cref="SkbContext"/> (the kernel accepts only some fields non-zero: mark, priority, ifindex,
    /// ingress_ifindex, cb, tstamp, wire_len, gso_segs, gso_size, hwtstamp).</param>
    /// <param name="repeat">How many times the kernel runs the program; the reported duration is the average.</param>
    /// <param name="dataOut">Receives the packet as the program left it (may be empty).</param>
    /// <param name="contextOut">Receives the context as the program left it (may be empty).</param>
    public ProgramTestRunResult TestRun(
        ReadOnlySpan<byte> data,
        ReadOnlySpan<byte> context = default,
        uint repeat = 1,
        Span<byte> dataOut = default,
        Span<byte> contextOut = default)
    {
        if (repeat > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(repeat), repeat, "At most int.MaxValue repetitions.");
        }

        var fd = LoadedFd();
        fixed (byte* dataPointer = data)
        fixed (byte* contextPointer = context)
        fixed (byte* dataOutPointer = dataOut)
        fixed (byte* contextOutPointer = contextOut)
        {
            var options = new BpfTestRunOptions
            {
                Sz = BpfTestRunOptions.Size,
                DataIn = data.IsEmpty ? null : dataPointer,
                DataSizeIn = (uint)data.Length,
                DataOut = dataOut.IsEmpty ? null : dataOutPointer,
                DataSizeOut = (uint)dataOut.Length,
                ContextIn = context.IsEmpty ? null : contextPointer,
                ContextSizeIn = (uint)context.Length,
                ContextOut = contextOut.IsEmpty ? null : contextOutPointer,
                ContextSizeOut = (uint)contextOut.Length,
                Repeat = (int)repeat,
            };
            var status = Libbpf.ProgramTestRun(fd, &options);
            BpfException.ThrowIfFailed(
                status,
                "test-run program",
                name,
                status == -Errno.ENOSPC ? "dataOut or contextOut is smaller than what the program produced"
                    : status == -Errno.EINVAL ? "the kernel rejected the input: packet shorter than the program type needs, or a context field that must be zero is set"
                    : null);
            return new ProgramTestRunResult(options.ReturnValue, options.Duration, (int)options.DataSizeOut, (int)options.ContextSizeOut);
        }
    }

    /// <summary>Closes an owned (pinned) program's fd; a borrowed program is closed with its object.</summary>
    public void Dispose() => ownedFd?.Dispose();

    private static BpfProgramInfo ReadInfo(int fd, string target)
    {
        var info = default(BpfProgramInfo);
        var length = (uint)BpfProgramInfo.Size;
        BpfException.ThrowIfFailed(Libbpf.ObjectGetInfoByFd(fd, &info, &length), "read program info of", target);
        return info;
    }

    private BpfProgramInfo ReadInfo() => ReadInfo(LoadedFd(), name);

    private int LoadedFd()
    {
        var fd = Fd;
        if (fd < 0)
        {
            throw new InvalidOperationException($"Program {name} has no file descriptor yet: load its object ({owner?.Name}) first.");
        }

        return fd;
    }
}
