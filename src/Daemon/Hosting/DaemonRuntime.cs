using System.Reflection;
using Microsoft.Extensions.Logging;
using Prometheus;
using Sluice.Bpf.Abi;
using Sluice.Daemon.Configuration;
using Sluice.Daemon.Control;
using Sluice.Daemon.Datapath;
using Sluice.Daemon.Flows;
using Sluice.Daemon.Identities;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Observer;

namespace Sluice.Daemon.Hosting;

/// <summary>
/// Everything sluiced runs, built in start-up order: identity state, the datapath (adopting pins), the
/// first reconcile (endpoints attached, policy applied), the flow pipeline and the observer. Built before
/// the web host starts, so a fatal start-up error exits before any socket is opened and READY is never sent.
/// </summary>
public sealed class DaemonRuntime : IAsyncDisposable
{
    private readonly DaemonMetrics _metrics;

    private DaemonRuntime(SluiceOptions options, DatapathManager datapath, EnforcementController controller,
        FlowPipelineRunner flows, ObserverService observer, DaemonMetrics metrics, DateTimeOffset startedAt)
    {
        Options = options;
        Datapath = datapath;
        Controller = controller;
        Flows = flows;
        Observer = observer;
        _metrics = metrics;
        StartedAt = startedAt;
    }

    /// <summary>The daemon's version (the assembly's informational version).</summary>
    public static string Version { get; } =
        typeof(DaemonRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The validated configuration.</summary>
    public SluiceOptions Options { get; }

    /// <summary>When the process started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The datapath.</summary>
    public DatapathManager Datapath { get; }

    /// <summary>The reconcile controller.</summary>
    public EnforcementController Controller { get; }

    /// <summary>The flow pipeline.</summary>
    public FlowPipelineRunner Flows { get; }

    /// <summary>The Hubble observer service.</summary>
    public ObserverService Observer { get; }

    /// <summary>The state after the latest reconcile pass.</summary>
    public DaemonSnapshot Snapshot => Controller.Snapshot;

    /// <summary>Opens everything and runs the first reconcile; throws on any fatal start-up error.</summary>
    public static DaemonRuntime Start(SluiceOptions options, bool printFlows, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var startedAt = time.GetUtcNow();
        var logger = loggers.CreateLogger("Sluice.Daemon");
        var allocator = IdentityAllocator.Open(options.StateDir);
        var config = DatapathConfig.Default;
        config.AggregationIntervalNs = (ulong)(options.Flows.AggregationInterval.Ticks * 100);
        var datapath = DatapathManager.Open(options.BpfPinDir, config, loggers.CreateLogger("Sluice.Daemon.Datapath"));
        try
        {
            DaemonLog.DatapathLoaded(logger, options.BpfPinDir, datapath.AdoptedMaps.Count == 0 ? "none (first start)" : string.Join(", ", datapath.AdoptedMaps));
            var refs = new PolicyRefTable();
            var controller = new EnforcementController(options, datapath, allocator, refs, logger, time);
            var metrics = new DaemonMetrics(Metrics.DefaultRegistry);
            var snapshot = controller.Reconcile("start", fatal: true);
            metrics.Update(snapshot);
            var context = new FlowConversionContext(options.NodeName, Version);
            var enricher = new DaemonFlowEnricher(() => controller.Snapshot, refs);
            var flows = new FlowPipelineRunner(options, printFlows, datapath.Events, datapath.Lost, enricher, context,
                Metrics.DefaultRegistry, time, loggers.CreateLogger("Sluice.Daemon.Flows"));
            var observer = new ObserverService(flows.Ring, context, time, new ObserverServiceOptions { Address = options.Grpc.Socket });
            flows.SubscriberLost = () => observer.SubscriberLost;
            return new DaemonRuntime(options, datapath, controller, flows, observer, metrics, startedAt);
        }
        catch
        {
            datapath.Dispose();
            throw;
        }
    }

    /// <summary>Runs a reconcile pass and updates the daemon's own metrics.</summary>
    public DaemonSnapshot Reconcile(string reason)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var snapshot = Controller.Reconcile(reason);
        _metrics.Update(snapshot, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return snapshot;
    }

    /// <summary>Null while healthy; otherwise what is wrong (a stalled or failed pipeline, a hung pass).</summary>
    public string? HealthProblem() =>
        Flows.Problem
        ?? (Controller.CurrentPassDuration > TimeSpan.FromSeconds(30) ? $"reconcile pass running for {Controller.CurrentPassDuration.TotalSeconds:F0} s" : null);

    /// <summary>Loss counters by source.</summary>
    public IReadOnlyDictionary<string, long> Losses() => Flows.Losses();

    /// <summary>Stops the pipeline and closes handles; enforcement stays in the kernel.</summary>
    public async ValueTask DisposeAsync()
    {
        await Flows.DisposeAsync().ConfigureAwait(false);
        Datapath.Dispose();
    }
}
