using System.Runtime.InteropServices;

namespace Sluice.Load.Harness;

/// <summary>
/// Runs code inside a named network namespace (/run/netns/&lt;name&gt;, as `ip netns add` creates it) on a
/// dedicated thread. setns(2) with CLONE_NEWNET switches only the calling thread; a socket keeps the
/// namespace it was created in for its whole life (net/socket.c: sock_create uses current->nsproxy->net_ns),
/// so sockets made here can then be used from any thread, and the harness measures connections from its
/// own process without paying a process spawn per probe.
/// </summary>
internal static partial class Netns
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Runs <paramref name="action"/> on a fresh thread that has joined namespace <paramref name="name"/>.</summary>
    public static T Run<T>(string name, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/run/netns", name), FileMode.Open, FileAccess.Read);
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into network namespace {name} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException($"in network namespace {name}: {failure.Message}", failure);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
