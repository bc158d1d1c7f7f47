using System.Threading.Channels;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>
/// Fan-out stage: offers each batch to every sink's own queue without waiting, so a slow sink loses its
/// own events (counted by its runner) and never holds up the others.
/// </summary>
internal sealed class FanOutStage(ChannelReader<FlowBatch> input, IReadOnlyList<SinkRunner> sinks)
{
    public async Task RunAsync()
    {
        try
        {
            await foreach (var batch in input.ReadAllAsync().ConfigureAwait(false))
            {
                if (sinks.Count == 0)
                {
                    batch.Release();
                    continue;
                }

                batch.SetReferences(sinks.Count);
                foreach (var sink in sinks)
                {
                    sink.Offer(batch);
                }
            }
        }
        finally
        {
            foreach (var sink in sinks)
            {
                sink.Complete();
            }
        }
    }
}
