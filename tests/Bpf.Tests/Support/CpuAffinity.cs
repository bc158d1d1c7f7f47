using System.Runtime.InteropServices;

namespace Sluice.Bpf.Tests.Support;

/// <summary>Pins the calling thread to one CPU (<c>sched_setaffinity</c> on thread id 0 = the caller).</summary>
public static partial class CpuAffinity
{
    /// <summary>Restricts the calling OS thread to <paramref name="cpu"/>.</summary>
    public static unsafe void PinCurrentThread(int cpu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpu);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cpu, 1024);
        var mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (SchedSetAffinity(0, 16 * sizeof(ulong), mask) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity to CPU {cpu} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SchedSetAffinity(int pid, nuint size, ulong* mask);
}
