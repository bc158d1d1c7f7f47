using System.Threading.Channels;
using Sluice.FlowExporter.Decoding;

namespace Sluice.FlowExporter.Pipeline;

/// <summary>Decode stage: raw record batches in, <see cref="FlowBatch"/>es out, numbering events as it goes.</summary>
internal sealed class DecodeStage(ChannelReader<RawRecordBatch> input, ChannelWriter<FlowBatch> output, PipelineCounters counters, long unixOffsetNs)
{
    private ulong _sequence;

    public async Task RunAsync()
    {
        try
        {
            await foreach (var raw in input.ReadAllAsync().ConfigureAwait(false))
            {
                var batch = DecodeBatch(raw);
                raw.Return();
                if (batch.Count == 0)
                {
                    batch.Release();
                    continue;
                }

                // Waiting here is back-pressure to the reader's queue, whose overflow is counted there.
                await output.WriteAsync(batch).ConfigureAwait(false);
            }
        }
        finally
        {
            output.TryComplete();
        }
    }

    private FlowBatch DecodeBatch(RawRecordBatch raw)
    {
        var batch = FlowBatch.Rent(raw.Count);
        var items = batch.Items;
        int count = 0;
        for (int i = 0; i < raw.Count; i++)
        {
            if (FlowRecordDecoder.Decode(raw.Record(i), unixOffsetNs, out items[count]) == FlowDecodeStatus.Ok)
            {
                items[count].Sequence = ++_sequence;
                count++;
            }
        }

        batch.Count = count;
        counters.AddMalformed(raw.Count - count);
        counters.AddDecoded(count);
        return batch;
    }
}
