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

    /// <summary>Whether the listener uses TLS (shown in GetNodes).</summary>
    public bool TlsEnabled { get; init; }
}
