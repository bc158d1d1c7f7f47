using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Prometheus;
using Sluice.Bpf;
using Sluice.Daemon.Configuration;
using Sluice.Daemon.Hosting;
using Sluice.FlowExporter.Decoding;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Metrics;
using Sluice.FlowExporter.Pipeline;
using Sluice.FlowExporter.Sinks;

namespace Sluice.Daemon.Flows;

/// <summary>
/// Runs the flow pipeline of DESIGN §2 for the daemon: a dedicated thread drains the datapath's ring
/// buffer into the pipeline, whose sinks are the in-memory flow ring (for observe), the flow log, the
/// Prometheus metrics and, with <c>--print-flows</c>, compact lines on stdout. The reader thread stamps a
/// heartbeat on every poll; the watchdog uses it to tell a live pipeline from a stalled one.
/// </summary>
public sealed class FlowPipelineRunner : IAsyncDisposable
{
    private const int PollTimeoutMs = 200;

    private readonly FlowPipeline _pipeline;
    private readonly IRingBufferReader _reader;
    private readonly BpfMap _lost;
    private readonly Thread _thread;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FlowLogSink? _log;
    private volatile bool _stopping;
    private long _heartbeat;
    private volatile Exception? _failure;

    /// <summary>Builds the sinks and the pipeline over <paramref name="events"/> and starts the reader thread.</summary>
    public FlowPipelineRunner(SluiceOptions options, bool printFlows, BpfMap events, BpfMap lost, DaemonFlowEnricher enricher,
        FlowConversionContext context, CollectorRegistry registry, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        _lost = lost;
        Ring = new FlowRing(options.Flows.RingCapacity);
        var sinks = new List<IFlowSink> { Ring };
        if (options.Flows.Log.Path.Length > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.Flows.Log.Path)!);
            _log = new FlowLogSink(new FlowExporter.Sinks.FlowLogOptions
            {
                Path = options.Flows.Log.Path,
                MaxSizeMb = options.Flows.Log.MaxSizeMb,
                MaxBackups = options.Flows.Log.MaxBackups,
                Compress = options.Flows.Log.Compress,
                Allow = [.. options.Flows.Log.Allow.Select(f => JsonFormatter.Default.Format(f))],
                Deny = [.. options.Flows.Log.Deny.Select(f => JsonFormatter.Default.Format(f))],
                FieldMask = options.Flows.Log.FieldMask,
            }, context, time);
            sinks.Add(_log);
        }

        if (printFlows)
        {
            sinks.Add(new CompactLineSink(Console.Out, context));
        }

        Metrics = new PrometheusMetricsSink(registry, () => PrometheusMetricsSink.LossSourcesOf(_pipeline!, () => SubscriberLost?.Invoke() ?? 0)());
        sinks.Add(Metrics);
        _pipeline = new FlowPipeline(enricher, sinks, new FlowPipelineOptions { UnixOffsetNs = MonotonicClock.BootTimeToUnixOffsetNs() });
        _reader = RingBufferReaders.Create(events, _pipeline.Reader);
        _heartbeat = time.GetTimestamp();
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = "sluice-ringbuf" };
        _thread.Start();
    }

    /// <summary>The in-memory flow ring the observer serves.</summary>
    public FlowRing Ring { get; }

    /// <summary>The metrics sink.</summary>
    public PrometheusMetricsSink Metrics { get; }

    /// <summary>The pipeline (counters, sinks).</summary>
    public FlowPipeline Pipeline => _pipeline;

    /// <summary>Observer subscriber losses, set once the observer exists.</summary>
    public Func<long>? SubscriberLost { get; set; }

    /// <summary>Time since the reader thread last completed a poll.</summary>
    public TimeSpan SinceHeartbeat => _time.GetElapsedTime(Interlocked.Read(ref _heartbeat));

    /// <summary>Null while healthy; otherwise why the pipeline is not.</summary>
    public string? Problem =>
        _failure is { } f ? $"ring-buffer reader failed: {f.Message}"
        : !_pipeline.IsHealthy ? "a flow pipeline stage failed"
        : SinceHeartbeat > TimeSpan.FromSeconds(5) ? $"ring-buffer reader has not polled for {SinceHeartbeat.TotalSeconds:F0} s"
        : null;

    /// <summary>Loss counters by source, for status.</summary>
    public IReadOnlyDictionary<string, long> Losses()
    {
        var losses = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["kernel_ring_buffer"] = _pipeline.Counters.KernelLost,
            ["pipeline_queue"] = _pipeline.Counters.PipelineQueueLost,
            ["subscriber_queue"] = SubscriberLost?.Invoke() ?? 0,
        };
        foreach (var sink in _pipeline.Sinks)
        {
            losses["sink:" + sink.Name] = sink.Lost;
        }

        return losses;
    }

    /// <summary>Stops the reader thread and drains the pipeline.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _reader.Dispose();
        await _pipeline.CompleteAsync().ConfigureAwait(false);
        _log?.Dispose();
    }

    private void ReadLoop()
    {
        Span<ulong> perCpu = new ulong[BpfMap.PossibleCpuCount];
        try
        {
            while (!_stopping)
            {
                _reader.Poll(PollTimeoutMs);
                _pipeline.Reader.Flush();
                if (_lost.TryLookupPerCpu(0u, perCpu))
                {
                    ulong total = 0;
                    foreach (var v in perCpu)
                    {
                        total += v;
                    }

                    _pipeline.Reader.ReportKernelLost((long)total);
                }

                Interlocked.Exchange(ref _heartbeat, _time.GetTimestamp());
            }
        }
        catch (Exception ex) when (ex is BpfException or InvalidOperationException or ObjectDisposedException)
        {
            _failure = ex;
            DaemonLog.PipelineFailed(_logger, ex.Message);
        }
    }
}
