namespace Sluice.FlowExporter.Observer;

/// <summary>Settings of the Hubble observer service.</summary>
public sealed class ObserverServiceOptions
{
    /// <summary>Default bound on how far a following subscriber may fall behind the newest flow.</summary>
    public const int DefaultSubscriberQueueCapacity = 4096;

    /// <summary>
    /// How many flows a following subscriber may lag behind the newest one before the oldest are skipped and
    /// reported as a LostEvent. The subscriber's queue is its cursor into the flow ring, so this bound is
    /// also capped by the ring capacity.
    /// </summary>
    public int SubscriberQueueCapacity { get; init; } = DefaultSubscriberQueueCapacity;

    /// <summary>Address shown in GetNodes (e.g. the unix socket path).</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>
    /// Cumulative losses upstream of the flow ring (kernel ring buffer; pipeline and ring-sink queues), which
    /// following subscribers are told about as <c>lost_events</c> messages; null when not wired.
    /// </summary>
    public Func<UpstreamLoss>? UpstreamLoss { get; init; }

    /// <summary>How often following subscribers are told about new upstream loss (Hubble's default: 1 s).</summary>
    public TimeSpan LostEventInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the listener uses TLS (shown in GetNodes).</summary>
    public bool TlsEnabled { get; init; }
}
