using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>
/// A tc program attached to an interface's clsact qdisc (<c>bpf_tc_hook_create</c> + <c>bpf_tc_attach</c>,
/// direct-action mode). Dispose detaches it.
/// </summary>
/// <remarks>
/// Why clsact and not tcx links: libbpf 1.1 (Debian 12) has no tcx API, and a clsact filter needs no
/// pinned link to outlive the daemon — it stays attached until detached, so enforcement continues across
/// restarts, and a restarted daemon swaps in its program atomically with <c>BPF_TC_F_REPLACE</c> at the
/// same handle and priority. It also shows in <c>tc filter show dev X ingress</c>. All calls use netlink in
/// the calling thread's network namespace.
/// </remarks>
public sealed unsafe class TcAttachment : IDisposable
{
    private bool detached;

    private TcAttachment(int ifindex, TcDirection direction, uint handle, uint priority, uint programId)
    {
        Ifindex = ifindex;
        Direction = direction;
        Handle = handle;
        Priority = priority;
        ProgramId = programId;
    }

    /// <summary>The interface the program is attached to.</summary>
    public int Ifindex { get; }

    /// <summary>The hook.</summary>
    public TcDirection Direction { get; }

    /// <summary>The filter handle.</summary>
    public uint Handle { get; }

    /// <summary>The filter priority.</summary>
    public uint Priority { get; }

    /// <summary>The kernel id of the attached program.</summary>
    public uint ProgramId { get; }

    /// <summary>
    /// Attaches <paramref name="program"/> at (<paramref name="handle"/>, <paramref name="priority"/>) of the
    /// <paramref name="direction"/> hook, creating the clsact qdisc if needed and replacing any program
    /// already there in one step.
    /// </summary>
    public static TcAttachment Attach(int ifindex, TcDirection direction, BpfProgram program, uint handle = 1, uint priority = 1)
    {
        ArgumentNullException.ThrowIfNull(program);
        ValidateFilterAddress(ifindex, handle, priority);
        var programFd = program.Fd;
        if (programFd < 0)
        {
            throw new InvalidOperationException($"Program {program.Name} is not loaded.");
        }

        var hook = Hook(ifindex, direction);
        int created;

        // The kernel's extended ack for an existing qdisc ("Exclusivity flag on, cannot modify") is the
        // expected answer here, so the messages libbpf prints for this call are captured, not shown; they
        // join the hint only when the call really failed.
        string kernelMessages;
        using (var capture = LibbpfLog.BeginCapture())
        {
            created = Libbpf.TcHookCreate(&hook);
            kernelMessages = capture.Text;
        }

        // EEXIST: the clsact qdisc is already there (another program, a previous run); that is the normal case.
        if (created < 0 && created != -Errno.EEXIST)
        {
            throw new BpfException(-created, "create clsact qdisc on", Describe(ifindex), WithKernelMessages(Hint(-created), kernelMessages));
        }

        var options = Options(handle, priority);
        options.ProgramFd = programFd;
        options.Flags = BpfTcOptions.FlagReplace;
        var status = Libbpf.TcAttach(&hook, &options);
        BpfException.ThrowIfFailed(status, $"attach tc {Word(direction)} program {program.Name} to", Describe(ifindex), Hint(-status));
        return new TcAttachment(ifindex, direction, handle, priority, options.ProgramId);
    }

    /// <summary>True when a program is attached at (<paramref name="handle"/>, <paramref name="priority"/>) of the hook (<c>bpf_tc_query</c>).</summary>
    public static bool IsAttached(int ifindex, TcDirection direction, uint handle = 1, uint priority = 1) =>
        QueryProgramId(ifindex, direction, handle, priority) != 0;

    /// <summary>The id of the program attached at (<paramref name="handle"/>, <paramref name="priority"/>), or 0 when none is.</summary>
    public static uint QueryProgramId(int ifindex, TcDirection direction, uint handle = 1, uint priority = 1)
    {
        ValidateFilterAddress(ifindex, handle, priority);
        var hook = Hook(ifindex, direction);
        var options = Options(handle, priority);
        int status;

        // "Nothing there" (ENOENT, EINVAL) is an expected answer for queries and cleanup: the kernel's
        // extended-ack text libbpf would print for it is captured and dropped.
        using (LibbpfLog.BeginCapture())
        {
            status = Libbpf.TcQuery(&hook, &options);
        }


        // ENOENT: no such filter; EINVAL: no clsact qdisc on the interface at all (netlink's answer).
        if (status == -Errno.ENOENT || status == -Errno.EINVAL)
        {
            return 0;
        }

        BpfException.ThrowIfFailed(status, $"query tc {Word(direction)} filter on", Describe(ifindex), Hint(-status));
        return options.ProgramId;
    }

    /// <summary>Detaches whatever program is at (<paramref name="handle"/>, <paramref name="priority"/>);
    /// does nothing when none is (so cleanup can run twice).</summary>
    public static void Detach(int ifindex, TcDirection direction, uint handle = 1, uint priority = 1)
    {
        ValidateFilterAddress(ifindex, handle, priority);
        var hook = Hook(ifindex, direction);
        var options = Options(handle, priority);
        int status;

        // "Nothing there" (ENOENT, EINVAL) is an expected answer for queries and cleanup: the kernel's
        // extended-ack text libbpf would print for it is captured and dropped.
        using (LibbpfLog.BeginCapture())
        {
            status = Libbpf.TcDetach(&hook, &options);
        }

        if (status == -Errno.ENOENT || status == -Errno.EINVAL)
        {
            return;
        }

        BpfException.ThrowIfFailed(status, $"detach tc {Word(direction)} filter from", Describe(ifindex), Hint(-status));
    }

    /// <summary>Removes the clsact qdisc of <paramref name="ifindex"/> and with it every tc filter in both
    /// directions; does nothing when there is none.</summary>
    public static void DestroyClsact(int ifindex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifindex);
        var hook = new BpfTcHook
        {
            Sz = BpfTcHook.Size,
            Ifindex = ifindex,

            // INGRESS|EGRESS together is how libbpf names the whole clsact qdisc.
            AttachPoint = BpfTcHook.AttachIngress | BpfTcHook.AttachEgress,
        };
        int status;

        // "Nothing there" (ENOENT, EINVAL) is an expected answer for queries and cleanup: the kernel's
        // extended-ack text libbpf would print for it is captured and dropped.
        using (LibbpfLog.BeginCapture())
        {
            status = Libbpf.TcHookDestroy(&hook);
        }

        if (status == -Errno.ENOENT || status == -Errno.EINVAL)
        {
            return;
        }

        BpfException.ThrowIfFailed(status, "remove clsact qdisc from", Describe(ifindex), Hint(-status));
    }

    /// <summary>
    /// Detaches this program, unless another program has since replaced it at the same handle and priority
    /// (a restarted daemon's), which is then left alone. Idempotent.
    /// </summary>
    public void Detach()
    {
        if (detached)
        {
            return;
        }

        if (QueryProgramId(Ifindex, Direction, Handle, Priority) == ProgramId)
        {
            Detach(Ifindex, Direction, Handle, Priority);
        }

        detached = true;
    }

    /// <summary>Detaches (see <see cref="Detach()"/>).</summary>
    public void Dispose() => Detach();

    private static BpfTcHook Hook(int ifindex, TcDirection direction) => new()
    {
        Sz = BpfTcHook.Size,
        Ifindex = ifindex,
        AttachPoint = direction switch
        {
            TcDirection.Ingress => BpfTcHook.AttachIngress,
            TcDirection.Egress => BpfTcHook.AttachEgress,
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Ingress or Egress."),
        },
    };

    private static BpfTcOptions Options(uint handle, uint priority) => new()
    {
        Sz = BpfTcOptions.Size,
        Handle = handle,
        Priority = priority,
    };

    private static void ValidateFilterAddress(int ifindex, uint handle, uint priority)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifindex);
        ArgumentOutOfRangeException.ThrowIfZero(handle);

        // tc priorities are 16 bits (TC_H_MAJ); libbpf rejects larger ones with EINVAL.
        if (priority is 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "tc filter priority must be 1..65535.");
        }
    }

    private static string Word(TcDirection direction) => direction == TcDirection.Ingress ? "ingress" : "egress";

    // Messages name the interface when it exists in this namespace: "veth-api (ifindex 7)".
    private static string Describe(int ifindex)
    {
        var name = stackalloc byte[16];
        var found = Libc.IfIndexToName((uint)ifindex, name);
        return found == null ? $"ifindex {ifindex}" : $"{Utf8.ReadFixed(name, 16)} (ifindex {ifindex})";
    }

    private static string? WithKernelMessages(string? hint, string kernelMessages) =>
        kernelMessages.Length == 0 ? hint : hint is null ? kernelMessages : $"{hint}; {kernelMessages}";

    private static string? Hint(int errno) => errno switch
    {
        Errno.EPERM => "needs CAP_NET_ADMIN",
        Errno.ENODEV => "no interface with this ifindex in the calling thread's network namespace",
        _ => null,
    };
}
