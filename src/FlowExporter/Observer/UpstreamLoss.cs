namespace Sluice.FlowExporter.Observer;

/// <summary>Cumulative event losses before the flow ring, by Hubble lost-event source.</summary>
/// <param name="KernelRingBuffer">Events the datapath could not put in the BPF ring buffer (PERF_EVENT_RING_BUFFER).</param>
/// <param name="EventsQueue">Events dropped by full pipeline queues on the way to the flow ring (OBSERVER_EVENTS_QUEUE).</param>
public readonly record struct UpstreamLoss(long KernelRingBuffer, long EventsQueue)
{
    /// <summary>The losses of a pipeline whose flow ring is the sink named <paramref name="ringSinkName"/>.</summary>
    public static Func<UpstreamLoss> Of(Pipeline.FlowPipeline pipeline, string ringSinkName = "ring")
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var ringSink = pipeline.Sinks.Single(s => s.Name == ringSinkName);
        return () => new UpstreamLoss(pipeline.Counters.KernelLost, pipeline.Counters.PipelineQueueLost + ringSink.Lost);
    }
}
