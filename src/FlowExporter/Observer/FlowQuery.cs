using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sluice.Api.Flow;
using Sluice.Api.Observer;
using Sluice.FlowExporter.Filtering;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Observer;

/// <summary>A validated GetFlows request: time bounds, compiled filters and field mask.</summary>
internal sealed class FlowQuery
{
    private FlowQuery(FlowFilterEvaluator filters, FieldMask? mask, long? since, long? until, bool follow)
    {
        Filters = filters;
        Mask = mask;
        Since = since;
        Until = until;
        Follow = follow;
    }

    public FlowFilterEvaluator Filters { get; }

    public FieldMask? Mask { get; }

    public long? Since { get; }

    public long? Until { get; }

    public bool Follow { get; }

    /// <summary>True when a flow can be rejected by time bounds or filters.</summary>
    public bool HasConditions => !Filters.IsEmpty || Since is not null || Until is not null;

    /// <summary>
    /// Validates the request; bad input is InvalidArgument. <c>number</c> with <c>since</c>/<c>until</c>
    /// means the last (or, with <c>first</c>, the first) N flows inside the time window, which is what
    /// <c>hubble observe --last N --since T</c> asks for.
    /// </summary>
    public static FlowQuery Create(GetFlowsRequest request)
    {
        if (request.First && request.Follow)
        {
            throw Invalid("first cannot be combined with follow");
        }

        FlowFilterEvaluator filters;
        try
        {
            filters = new FlowFilterEvaluator(request.Whitelist, request.Blacklist);
        }
        catch (FlowFilterException e)
        {
            throw Invalid(e.Message);
        }

        FieldMask? mask = null;
        if (request.FieldMask is { Paths.Count: > 0 })
        {
            if (!FieldMask.IsValid<Flow>(request.FieldMask))
            {
                throw Invalid($"field_mask has paths that are not Flow fields: {string.Join(", ", request.FieldMask.Paths)}");
            }

            mask = request.FieldMask;
        }

        return new FlowQuery(filters, mask, ToNs(request.Since), ToNs(request.Until), request.Follow);
    }

    /// <summary>The converted flow when the event passes the time bounds and filters, else null.</summary>
    public Flow? Accepts(in FlowEvent e, FlowConversionContext context)
    {
        if ((Since is { } since && e.TimestampUnixNs < since) || (Until is { } until && e.TimestampUnixNs > until))
        {
            return null;
        }

        var flow = FlowProtoConverter.ToProto(e, context);
        return Filters.Matches(flow) ? flow : null;
    }

    /// <summary>Wraps a flow in a response, applying the field mask.</summary>
    public GetFlowsResponse Response(Flow flow, string nodeName)
    {
        var time = flow.Time;
        if (Mask is not null)
        {
            var masked = new Flow();
            Mask.Merge(flow, masked);
            flow = masked;
        }

        return new GetFlowsResponse { Flow = flow, NodeName = nodeName, Time = time };
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static long? ToNs(Timestamp? time) =>
        time is null ? null : (time.Seconds * 1_000_000_000L) + time.Nanos;
}
