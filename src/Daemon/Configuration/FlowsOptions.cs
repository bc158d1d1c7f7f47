namespace Sluice.Daemon.Configuration;

/// <summary>The <c>flows:</c> section.</summary>
public sealed class FlowsOptions
{
    /// <summary>Default <see cref="RingCapacity"/>, Hubble's default ring size.</summary>
    public const int DefaultRingCapacity = 65535;

    /// <summary>Largest accepted <see cref="RingCapacity"/>; bounds the memory the ring can hold.</summary>
    public const int MaxRingCapacity = 1 << 24;

    /// <summary>Default <see cref="AggregationInterval"/>.</summary>
    public static readonly TimeSpan DefaultAggregationInterval = TimeSpan.FromSeconds(5);

    /// <summary>Flows kept in memory for <c>observe --last</c>.</summary>
    public int RingCapacity { get; set; } = DefaultRingCapacity;

    /// <summary>How often long-lived flows report byte and packet counters.</summary>
    public TimeSpan AggregationInterval { get; set; } = DefaultAggregationInterval;

    /// <summary>The Hubble-JSON flow log.</summary>
    public FlowLogOptions Log { get; set; } = new();
}
