using System.Runtime.InteropServices;

namespace Sluice.FlowExporter.Decoding;

/// <summary>
/// Converts kernel timestamps to wall-clock time. The datapath stamps records with
/// bpf_ktime_get_boot_ns(), which reads CLOCK_BOOTTIME (kernel/bpf/helpers.c); the offset between that
/// clock and the real-time clock, read back to back, converts one to the other.
/// </summary>
public static partial class MonotonicClock
{
    private const int ClockRealtime = 0;
    private const int ClockBoottime = 7;

    /// <summary>Nanoseconds to add to a CLOCK_BOOTTIME timestamp to get nanoseconds since the Unix epoch.</summary>
    public static long BootTimeToUnixOffsetNs()
    {
        long boot = Read(ClockBoottime);
        long real = Read(ClockRealtime);
        return real - boot;
    }

    private static long Read(int clock)
    {
        if (ClockGetTime(clock, out var spec) != 0)
        {
            throw new InvalidOperationException($"clock_gettime({clock}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (spec.Seconds * 1_000_000_000L) + spec.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clockId, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
