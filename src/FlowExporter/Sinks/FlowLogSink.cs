using Google.Protobuf.WellKnownTypes;
using Sluice.Api.Flow;
using Sluice.FlowExporter.Filtering;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Sinks;

/// <summary>
/// The Hubble-JSON flow log: one <c>{"flow":{...},"node_name":"...","time":"..."}</c> line per flow, as
/// Hubble's exporter and <c>hubble observe -o jsonpb</c> write them, filtered by allow/deny FlowFilters,
/// trimmed by a field mask and rotated by size. Settings are validated at construction (a bad filter or
/// mask path is a configuration error naming the value).
/// </summary>
public sealed class FlowLogSink : IFlowSink, IDisposable
{
    private readonly FlowConversionContext _context;
    private readonly FlowFilterEvaluator _filters;
    private readonly FieldMask? _mask;
    private readonly RotatingFileWriter _writer;
    private long _written;
    private long _filtered;

    /// <summary>Validates the options and opens the file.</summary>
    public FlowLogSink(FlowLogOptions options, FlowConversionContext context, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.MaxSizeMb <= 0)
        {
            throw new ArgumentException($"flows.log.maxSizeMb must be positive, got {options.MaxSizeMb}", nameof(options));
        }

        _context = context;
        _filters = FlowFilterEvaluator.FromJson(options.Allow, options.Deny);
        if (options.FieldMask.Count > 0)
        {
            var mask = new FieldMask();
            mask.Paths.AddRange(options.FieldMask.Select(p => p.Trim()));
            if (!FieldMask.IsValid<Flow>(mask))
            {
                var invalid = mask.Paths.Where(p => !FieldMask.IsValid<Flow>(new FieldMask { Paths = { p } }));
                throw new ArgumentException($"flows.log.fieldMask: not Flow field paths: {string.Join(", ", invalid)}", nameof(options));
            }

            _mask = mask;
        }

        _writer = new RotatingFileWriter(options.Path, options.MaxSizeBytesOverride ?? options.MaxSizeMb * 1024L * 1024L,
            options.MaxBackups, options.Compress, timeProvider);
    }

    /// <inheritdoc/>
    public string Name => "log";

    /// <summary>Lines written.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Flows left out by the allow/deny filters.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    /// <summary>The line for one flow, or null when the filters exclude it. Pure apart from counting.</summary>
    public static string? FormatLine(in FlowEvent flow, FlowConversionContext context, FlowFilterEvaluator filters, FieldMask? mask)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var message = FlowProtoConverter.ToProto(flow, context);
        if (!filters.Matches(message))
        {
            return null;
        }

        var time = message.Time;
        if (mask is not null)
        {
            var masked = new Flow();
            mask.Merge(message, masked);
            message = masked;
        }

        var response = new Sluice.Api.Observer.GetFlowsResponse { Flow = message, NodeName = context.NodeName, Time = time };
        return JsonpbFormatter.FormatMessage(response);
    }

    /// <inheritdoc/>
    public void Consume(ReadOnlySpan<FlowEvent> flows)
    {
        foreach (ref readonly var flow in flows)
        {
            string? line = FormatLine(flow, _context, _filters, _mask);
            if (line is null)
            {
                Interlocked.Increment(ref _filtered);
                continue;
            }

            _writer.WriteLine(line);
            Interlocked.Increment(ref _written);
        }

        _writer.Flush();
    }

    /// <inheritdoc/>
    public void Complete() => _writer.Flush();

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}
