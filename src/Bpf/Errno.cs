namespace Sluice.Bpf;

/// <summary>Linux errno values (asm-generic/errno-base.h, errno.h) the bindings name or react to.</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;

    /// <summary>No such file or directory (also: no such map element, no such filter).</summary>
    public const int ENOENT = 2;

    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;

    /// <summary>Argument list too long (the kernel also uses it for "too large": programs, values).</summary>
    public const int E2BIG = 7;

    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;

    /// <summary>Try again.</summary>
    public const int EAGAIN = 11;

    /// <summary>Out of memory.</summary>
    public const int ENOMEM = 12;

    /// <summary>Permission denied (for program loads: the verifier rejected the program).</summary>
    public const int EACCES = 13;

    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;

    /// <summary>File exists.</summary>
    public const int EEXIST = 17;

    /// <summary>No such device (network interface).</summary>
    public const int ENODEV = 19;

    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;

    /// <summary>No space left (a full map, a log buffer too small).</summary>
    public const int ENOSPC = 28;

    /// <summary>Operation not supported (user-visible errno).</summary>
    public const int EOPNOTSUPP = 95;

    /// <summary>Operation not supported (kernel-internal value the bpf syscall can return, e.g. for batch ops).</summary>
    public const int ENOTSUPP = 524;

    /// <summary>The symbolic name of <paramref name="errno"/> ("EPERM"), or "errno N" when not listed.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        3 => "ESRCH",
        EINTR => "EINTR",
        5 => "EIO",
        6 => "ENXIO",
        E2BIG => "E2BIG",
        8 => "ENOEXEC",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        14 => "EFAULT",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        20 => "ENOTDIR",
        21 => "EISDIR",
        EINVAL => "EINVAL",
        24 => "EMFILE",
        ENOSPC => "ENOSPC",
        34 => "ERANGE",
        38 => "ENOSYS",
        40 => "ELOOP",
        71 => "EPROTO",
        EOPNOTSUPP => "EOPNOTSUPP",
        ENOTSUPP => "ENOTSUPP",
        _ => $"errno {errno}",
    };
}
