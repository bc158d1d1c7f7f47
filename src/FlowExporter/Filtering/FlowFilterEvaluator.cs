using Google.Protobuf;
using Sluice.Api.Flow;

namespace Sluice.FlowExporter.Filtering;

/// <summary>
/// Hubble's allow/deny semantics over <see cref="FlowFilter"/> lists, shared by the flow log and
/// GetFlows: a flow passes when it matches any whitelist filter (or the whitelist is empty) and no
/// blacklist filter. Filters are validated and compiled once; a bad one throws
/// <see cref="FlowFilterException"/> naming the field.
/// </summary>
public sealed class FlowFilterEvaluator
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));
    private readonly CompiledFlowFilter[] _whitelist;
    private readonly CompiledFlowFilter[] _blacklist;

    /// <summary>Compiles the two lists.</summary>
    public FlowFilterEvaluator(IEnumerable<FlowFilter> whitelist, IEnumerable<FlowFilter> blacklist)
    {
        ArgumentNullException.ThrowIfNull(whitelist);
        ArgumentNullException.ThrowIfNull(blacklist);
        _whitelist = [.. whitelist.Select(f => new CompiledFlowFilter(f))];
        _blacklist = [.. blacklist.Select(f => new CompiledFlowFilter(f))];
    }

    /// <summary>An evaluator that lets every flow through.</summary>
    public static FlowFilterEvaluator AllowAll { get; } = new([], []);

    /// <summary>True when neither list has a filter.</summary>
    public bool IsEmpty => _whitelist.Length == 0 && _blacklist.Length == 0;

    /// <summary>
    /// Builds an evaluator from FlowFilter JSON objects as Hubble's <c>--allowlist</c>/<c>--denylist</c> and
    /// the exporter's allow/deny lists take them (proto field names or lowerCamelCase).
    /// </summary>
    public static FlowFilterEvaluator FromJson(IEnumerable<string> allow, IEnumerable<string> deny)
    {
        ArgumentNullException.ThrowIfNull(allow);
        ArgumentNullException.ThrowIfNull(deny);
        return new FlowFilterEvaluator(allow.Select(ParseJson), deny.Select(ParseJson));
    }

    /// <summary>Parses one FlowFilter JSON object.</summary>
    public static FlowFilter ParseJson(string json)
    {
        try
        {
            return Parser.Parse<FlowFilter>(json);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FlowFilterException($"invalid FlowFilter JSON {json}: {e.Message}", e);
        }
        catch (InvalidJsonException e)
        {
            throw new FlowFilterException($"invalid FlowFilter JSON {json}: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="flow"/> passes.</summary>
    public bool Matches(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (_whitelist.Length != 0 && !Array.Exists(_whitelist, f => f.Matches(flow)))
        {
            return false;
        }

        return !Array.Exists(_blacklist, f => f.Matches(flow));
    }
}
