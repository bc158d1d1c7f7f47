using System.Threading.Channels;
using Sluice.FlowExporter.Enrichment;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>Enrich stage: resolves identities, endpoints, policies and interfaces in place.</summary>
internal sealed class EnrichStage(ChannelReader<FlowBatch> input, ChannelWriter<FlowBatch> output, IFlowEnricher enricher)
{
    public async Task RunAsync()
    {
        try
        {
            await foreach (var batch in input.ReadAllAsync().ConfigureAwait(false))
            {
                var items = batch.Items;
                for (int i = 0; i < batch.Count; i++)
                {
                    FlowEnrichment.Enrich(ref items[i], enricher);
                }

                await output.WriteAsync(batch).ConfigureAwait(false);
            }
        }
        finally
        {
            output.TryComplete();
        }
    }
}
