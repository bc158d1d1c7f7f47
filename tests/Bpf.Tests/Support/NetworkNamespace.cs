using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Sluice.Bpf.Tests.Support;

/// <summary>
/// A named network namespace (<c>ip netns add</c>) that a test creates and removes. Code that must act
/// inside it (netlink for tc, if_nametoindex, sockets) runs through <see cref="Run"/> on a dedicated thread
/// that has <c>setns()</c>'d into it; the namespace is per thread in Linux, so the rest of the process
/// stays in the root namespace. Dispose deletes the namespace and with it every interface inside.
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private bool disposed;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace name (also its file under /run/netns).</summary>
    public string Name { get; }

    /// <summary>Creates a namespace named <paramref name="prefix"/> plus a random suffix, with loopback up.</summary>
    public static NetworkNamespace Create(string prefix = "slc")
    {
        var name = UniqueName(prefix, 15);
        Command.Run("ip", "netns", "add", name);
        var created = new NetworkNamespace(name);
        try
        {
            created.Ip("link", "set", "lo", "up");
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>A name of at most <paramref name="maxLength"/> characters: the prefix plus random hex (interfaces allow 15).</summary>
    public static string UniqueName(string prefix, int maxLength = 15)
    {
        var suffixLength = maxLength - prefix.Length;
        if (suffixLength < 4)
        {
            throw new ArgumentException($"Prefix '{prefix}' leaves fewer than 4 random characters within {maxLength}.", nameof(prefix));
        }

        return prefix + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..Math.Min(suffixLength, 8)];
    }

    /// <summary>Runs <c>ip -n NAME args…</c> and returns its standard output.</summary>
    public string Ip(params string[] args) => Command.Run("ip", ["-n", Name, .. args]);

    /// <summary>Runs a program inside the namespace (<c>ip netns exec</c>) and returns its standard output.</summary>
    public string Exec(string program, params string[] args) => Command.Run("ip", ["netns", "exec", Name, program, .. args]);

    /// <summary>Creates a veth pair inside the namespace, both ends up, and returns their ifindexes (as seen inside).</summary>
    public (int First, int Second) AddVethPair(string first, string second)
    {
        Ip("link", "add", first, "type", "veth", "peer", "name", second);
        Ip("link", "set", first, "up");
        Ip("link", "set", second, "up");
        return Run(() => (NetInterface.IndexOf(first), NetInterface.IndexOf(second)));
    }

    /// <summary>Runs <paramref name="action"/> on a fresh thread inside the namespace; exceptions propagate.</summary>
    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run<object?>(() =>
        {
            action();
            return null;
        });
    }

    /// <summary>Runs <paramref name="function"/> on a fresh thread inside the namespace and returns its result.</summary>
    public T Run<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        ObjectDisposedException.ThrowIf(disposed, this);
        T result = default!;
        ExceptionDispatchInfo? failure = null;

        // The thread ends after the call, so its namespace switch never leaks to pooled work.
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = function();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + Name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Deletes the namespace (and the interfaces in it).</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Command.TryRun("ip", "netns", "del", Name);
    }

    private void Enter()
    {
        using var handle = File.OpenHandle(Path.Combine("/run/netns", Name));
        if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new InvalidOperationException($"setns into network namespace {Name} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int namespaceType);
}
