using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Sinks;

/// <summary>Writes hubble's compact line per flow to a <see cref="TextWriter"/> (sluiced <c>--print-flows</c>).</summary>
public sealed class CompactLineSink(TextWriter output, FlowConversionContext context, TimeZoneInfo? timeZone = null) : IFlowSink
{
    /// <inheritdoc/>
    public string Name => "compact";

    /// <inheritdoc/>
    public void Consume(ReadOnlySpan<FlowEvent> flows)
    {
        foreach (ref readonly var flow in flows)
        {
            output.WriteLine(CompactFormatter.Format(FlowProtoConverter.ToProto(flow, context), timeZone));
        }

        output.Flush();
    }

    /// <inheritdoc/>
    public void Complete() => output.Flush();
}
