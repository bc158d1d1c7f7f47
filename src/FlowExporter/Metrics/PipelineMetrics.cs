using Prometheus;
using Sluice.FlowExporter.Pipeline;

namespace Sluice.FlowExporter.Metrics;

/// <summary>
/// Sluice's own pipeline metrics beside Hubble's (DESIGN §4.5 <c>sluice_*</c>): records per stage, every
/// loss by the edge where it happened, and queue depths, read from the pipeline's counters at scrape time.
/// </summary>
public static class PipelineMetrics
{
    /// <summary>Registers the pipeline metrics on <paramref name="registry"/>.</summary>
    /// <param name="registry">Where to register.</param>
    /// <param name="pipeline">The pipeline to report on.</param>
    /// <param name="subscriberLost">Flows skipped for lagging GetFlows subscribers, when an observer runs.</param>
    public static void Register(CollectorRegistry registry, FlowPipeline pipeline, Func<long>? subscriberLost = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(pipeline);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var records = factory.CreateCounter("sluice_flow_records_total", "Kernel flow records by pipeline stage outcome", "stage");
        var lost = factory.CreateCounter("sluice_flow_lost_events_total", "Flow events lost, by where the loss happened", "where");
        var delivered = factory.CreateCounter("sluice_flow_sink_events_total", "Flow events handed to each sink", "sink");
        var depth = factory.CreateGauge("sluice_flow_sink_queue_batches", "Batches waiting in each sink's queue", "sink");
        registry.AddBeforeCollectCallback(() =>
        {
            var counters = pipeline.Counters;
            records.WithLabels("read").IncTo(counters.RecordsRead);
            records.WithLabels("decoded").IncTo(counters.Decoded);
            records.WithLabels("malformed").IncTo(counters.Malformed);
            lost.WithLabels("kernel_ring_buffer").IncTo(counters.KernelLost);
            lost.WithLabels("reader_queue").IncTo(counters.PipelineQueueLost);
            foreach (var sink in pipeline.Sinks)
            {
                lost.WithLabels("sink:" + sink.Name).IncTo(sink.Lost);
                delivered.WithLabels(sink.Name).IncTo(sink.Delivered);
                depth.WithLabels(sink.Name).Set(sink.QueueDepth);
            }

            if (subscriberLost is not null)
            {
                lost.WithLabels("subscriber_queue").IncTo(subscriberLost());
            }
        });
    }
}
