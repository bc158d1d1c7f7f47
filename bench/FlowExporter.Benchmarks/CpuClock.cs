using System.Runtime.InteropServices;

namespace Sluice.FlowExporter.Benchmarks;

/// <summary>CPU-time clocks and CPU pinning, so figures are per core even on a busy machine.</summary>
internal static unsafe partial class CpuClock
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>CPU seconds used by the calling thread.</summary>
    public static double ThreadSeconds() => Read(ClockThreadCpuTimeId);

    /// <summary>CPU seconds used by every thread of the process.</summary>
    public static double ProcessSeconds() => Read(ClockProcessCpuTimeId);

    /// <summary>Restricts the calling thread to CPU 0.</summary>
    public static void PinThreadToCpu0()
    {
        ulong mask = 1;
        if (SchedSetAffinity(0, sizeof(ulong), &mask) != 0)
        {
            Console.Error.WriteLine($"warning: could not pin to CPU 0 (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private static double Read(int clock)
    {
        long* time = stackalloc long[2];
        if (ClockGetTime(clock, time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime({clock}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return time[0] + (time[1] / 1e9);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, long* time);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);
}
