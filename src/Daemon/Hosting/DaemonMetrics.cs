using Prometheus;
using Sluice.Daemon.Control;
using Sluice.Policy.MapState;

namespace Sluice.Daemon.Hosting;

/// <summary>The daemon's own <c>sluice_*</c> metrics (DESIGN §4.5), updated after every reconcile pass.</summary>
public sealed class DaemonMetrics
{
    private readonly Gauge _revision;
    private readonly Gauge _endpoints;
    private readonly Gauge _mapEntries;
    private readonly Gauge _mapCapacity;
    private readonly Gauge _rejected;
    private readonly Histogram _applySeconds;

    /// <summary>Registers the metrics on <paramref name="registry"/>.</summary>
    public DaemonMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _revision = factory.CreateGauge("sluice_policy_revision", "Policy revision currently enforced");
        _endpoints = factory.CreateGauge("sluice_endpoints", "Endpoints by enforcement state of a direction", "direction", "enforcement");
        _mapEntries = factory.CreateGauge("sluice_map_entries", "Entries in use in a datapath map", "map");
        _mapCapacity = factory.CreateGauge("sluice_map_capacity", "Capacity of a datapath map", "map");
        _rejected = factory.CreateGauge("sluice_rejected_files", "Policy and endpoints files whose latest version was rejected");
        _applySeconds = factory.CreateHistogram("sluice_policy_apply_seconds", "Time for one reconcile pass (read sources, compute, write maps)",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
    }

    /// <summary>Publishes <paramref name="snapshot"/>; <paramref name="elapsed"/> is the pass's duration.</summary>
    public void Update(DaemonSnapshot snapshot, TimeSpan? elapsed = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _revision.Set(snapshot.Revision);
        foreach (var (direction, select) in new (string, Func<EndpointStatus, EnforcementState>)[] { ("ingress", e => e.Ingress), ("egress", e => e.Egress) })
        {
            foreach (var state in Enum.GetValues<EnforcementState>())
            {
                _endpoints.WithLabels(direction, state.ToString()).Set(snapshot.Endpoints.Count(e => select(e) == state));
            }
        }

        foreach (var map in snapshot.Maps)
        {
            _mapEntries.WithLabels(map.Name).Set(map.Entries);
            _mapCapacity.WithLabels(map.Name).Set(map.MaxEntries);
        }

        _rejected.Set(snapshot.Rejected.Count);
        if (elapsed is { } e)
        {
            _applySeconds.Observe(e.TotalSeconds);
        }
    }
}
