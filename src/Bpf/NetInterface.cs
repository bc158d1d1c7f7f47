using System.Runtime.InteropServices;
using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>Network interface lookups in the calling thread's network namespace.</summary>
public static unsafe class NetInterface
{
    /// <summary>The ifindex of <paramref name="name"/> (<c>if_nametoindex</c>).</summary>
    /// <exception cref="BpfException">ENODEV naming the interface when it does not exist here.</exception>
    public static int IndexOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 15)
        {
            throw new ArgumentException($"Interface name '{name}' is longer than 15 characters (IFNAMSIZ - 1).", nameof(name));
        }

        var nameBytes = Utf8.Terminated(name);
        uint index;
        fixed (byte* namePointer = nameBytes)
        {
            index = Libc.IfNameToIndex(namePointer);
        }

        if (index == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new BpfException(errno == 0 ? Errno.ENODEV : errno, "find network interface", name);
        }

        return (int)index;
    }
}
