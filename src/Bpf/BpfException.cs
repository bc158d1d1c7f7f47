using System.Runtime.InteropServices;
using System.Text;

namespace Sluice.Bpf;

/// <summary>
/// A failed libbpf or bpf(2) call: which operation, on what, the errno, and a hint for the usual causes.
/// The message reads like <c>attach tc ingress to veth-api: EPERM (Operation not permitted) — needs CAP_NET_ADMIN</c>,
/// followed by libbpf's own diagnostics or the verifier log when there are any.
/// </summary>
public sealed class BpfException : Exception
{
    /// <summary>Creates an exception with a plain message (errno 0, no operation).</summary>
    public BpfException()
        : this("A BPF operation failed.")
    {
    }

    /// <summary>Creates an exception with a plain message (errno 0, no operation).</summary>
    public BpfException(string message)
        : base(message)
    {
        Operation = string.Empty;
    }

    /// <summary>Creates an exception with a plain message and an inner exception.</summary>
    public BpfException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
    }

    /// <summary>Creates an exception for <paramref name="operation"/> on <paramref name="target"/> failing with <paramref name="errno"/>.</summary>
    /// <param name="errno">The positive errno value.</param>
    /// <param name="operation">What was attempted, e.g. "attach tc ingress to".</param>
    /// <param name="target">What it was attempted on, e.g. "veth-api", or null.</param>
    /// <param name="hint">Overrides the generic hint for <paramref name="errno"/>; empty for none.</param>
    /// <param name="details">Extra diagnostics appended on following lines (libbpf messages, verifier log).</param>
    public BpfException(int errno, string operation, string? target, string? hint = null, string? details = null)
        : base(Format(errno, operation, target, hint, details))
    {
        Errno = errno;
        Operation = operation;
        Target = target;
        Details = string.IsNullOrWhiteSpace(details) ? null : details;
    }

    /// <summary>The positive errno the call failed with (0 when not from a call).</summary>
    public int Errno { get; }

    /// <summary>The operation that failed.</summary>
    public string Operation { get; }

    /// <summary>What the operation was applied to (map, program, interface, path), if anything.</summary>
    public string? Target { get; }

    /// <summary>libbpf's messages or the verifier log for the failure, if any.</summary>
    public string? Details { get; }

    /// <summary>Throws when <paramref name="result"/> is negative (libbpf 1.x returns -errno).</summary>
    internal static void ThrowIfFailed(int result, string operation, string? target, string? hint = null)
    {
        if (result < 0)
        {
            throw new BpfException(-result, operation, target, hint);
        }
    }

    /// <summary>Builds an exception from errno captured after a NULL-returning call.</summary>
    internal static BpfException FromLastError(string operation, string? target, string? details = null)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new BpfException(errno == 0 ? Sluice.Bpf.Errno.EINVAL : errno, operation, target, details: details);
    }

    private static string Format(int errno, string operation, string? target, string? hint, string? details)
    {
        var text = new StringBuilder(operation);
        if (!string.IsNullOrEmpty(target))
        {
            text.Append(' ').Append(target);
        }

        text.Append(": ").Append(Sluice.Bpf.Errno.Name(errno))
            .Append(" (").Append(Marshal.GetPInvokeErrorMessage(errno)).Append(')');
        hint ??= DefaultHint(errno);
        if (hint.Length > 0)
        {
            text.Append(" — ").Append(hint);
        }

        if (!string.IsNullOrWhiteSpace(details))
        {
            text.Append('\n').Append(details.TrimEnd());
        }

        return text.ToString();
    }

    private static string DefaultHint(int errno) => errno switch
    {
        Sluice.Bpf.Errno.EPERM => "needs root or CAP_BPF + CAP_SYS_ADMIN (CAP_NET_ADMIN for tc); on kernels before 5.11 also a raised RLIMIT_MEMLOCK",
        Sluice.Bpf.Errno.EACCES => "the verifier rejected the program, or an LSM denied access",
        Sluice.Bpf.Errno.ENOENT => "it does not exist: check the name, the pin path, or that the element was added",
        Sluice.Bpf.Errno.E2BIG => "a kernel limit was exceeded (map entries, key/value size, program size or complexity)",
        Sluice.Bpf.Errno.ENOSPC => "the map is full (max_entries reached) or a buffer was too small",
        Sluice.Bpf.Errno.EINVAL => "the kernel rejected an argument: check sizes, flags, and that this map or program type supports the operation",
        Sluice.Bpf.Errno.ENODEV => "no such network interface in this network namespace",
        Sluice.Bpf.Errno.EEXIST => "it already exists",
        Sluice.Bpf.Errno.EBADF => "the map or program is closed or not loaded",
        Sluice.Bpf.Errno.EOPNOTSUPP or Sluice.Bpf.Errno.ENOTSUPP => "this map or program type does not support the operation",
        _ => string.Empty,
    };
}
