using System.Runtime.InteropServices;

namespace Sluice.Load.Harness;

/// <summary>
/// Undoes what a scenario created (daemon, namespaces, bpffs mount) when the run is interrupted: Ctrl-C
/// (SIGINT) and SIGTERM dispose every registered resource, newest first, then exit with 128+signal.
/// The normal path disposes the same resources through <c>using</c>; disposal is idempotent.
/// </summary>
internal static class CleanupOnExit
{
    private static readonly List<IDisposable> Resources = [];

    /// <summary>
    /// Held while the signal handler cleans up, and by every registered resource's Dispose: the main
    /// thread, failing because the handler just killed the daemon, must not dispose (or return from Main
    /// and end the process) halfway through the handler's cleanup.
    /// </summary>
    public static readonly Lock Gate = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];

    /// <summary>Installs the signal handlers once.</summary>
    public static void Install()
    {
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
    }

    /// <summary>Registers a resource to dispose on interruption.</summary>
    public static T Register<T>(T resource)
        where T : IDisposable
    {
        lock (Resources)
        {
            Resources.Add(resource);
        }

        return resource;
    }

    /// <summary>Forgets a resource already disposed on the normal path.</summary>
    public static void Forget(IDisposable resource)
    {
        lock (Resources)
        {
            Resources.Remove(resource);
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Gate.Enter(); // never released: the process exits at the end of this handler
        Console.Error.WriteLine($"\n{context.Signal}: cleaning up namespaces, daemon and mounts…");
        List<IDisposable> pending;
        lock (Resources)
        {
            pending = [.. Resources];
            Resources.Clear();
        }

        foreach (var resource in pending.AsEnumerable().Reverse())
        {
            try
            {
                resource.Dispose();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"cleanup: {e.Message}");
            }
        }

        Environment.Exit(context.Signal == PosixSignal.SIGINT ? 130 : 143);
    }
}
