using System.Diagnostics;

namespace Sluice.FlowExporter.Decoding;

/// <summary>
/// Converts kernel timestamps to wall-clock time. The datapath stamps records with bpf_ktime_get_ns(),
/// which reads CLOCK_MONOTONIC (kernel/bpf/helpers.c); on Linux <see cref="Stopwatch"/> reads the same
/// clock, so the offset between it and the real-time clock converts one to the other.
/// </summary>
public static class MonotonicClock
{
    /// <summary>Nanoseconds to add to a CLOCK_MONOTONIC timestamp to get nanoseconds since the Unix epoch.</summary>
    public static long UnixOffsetNs(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        long monotonicNs = (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
        long unixNs = (timeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        return unixNs - monotonicNs;
    }
}
