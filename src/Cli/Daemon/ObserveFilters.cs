using Sluice.Api.Flow;

namespace Sluice.Cli.Daemon;

/// <summary>
/// Turns <c>sluice observe</c> flags into Hubble <see cref="FlowFilter"/>s as <c>hubble observe</c> does:
/// flags about one side (<c>--from-*</c>, <c>--to-*</c>) go into one filter; a flag about either side
/// (<c>--ip</c>, <c>--label</c>, <c>--port</c>, <c>--identity</c>) yields a source-side and a
/// destination-side filter (a flow matches either); flags about the flow itself (<c>--protocol</c>,
/// <c>--verdict</c>, <c>--type</c>, <c>--traffic-direction</c>) go into every filter. With <c>--not</c> the
/// filters become a blacklist.
/// </summary>
internal sealed class ObserveFilters
{
    /// <summary>Cilium monitor message types by <c>--type</c> name (pkg/monitor/api/types.go).</summary>
    public static readonly IReadOnlyDictionary<string, int> EventTypes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["drop"] = 1,
        ["trace"] = 4,
        ["policy-verdict"] = 5,
    };

    public List<string> FromIp { get; } = [];

    public List<string> ToIp { get; } = [];

    public List<string> Ip { get; } = [];

    public List<string> FromLabel { get; } = [];

    public List<string> ToLabel { get; } = [];

    public List<string> Label { get; } = [];

    public List<string> FromPod { get; } = [];

    public List<string> ToPod { get; } = [];

    public List<string> FromPort { get; } = [];

    public List<string> ToPort { get; } = [];

    public List<string> Port { get; } = [];

    public List<uint> Identity { get; } = [];

    public List<string> Protocol { get; } = [];

    public List<string> Verdict { get; } = [];

    public List<string> Type { get; } = [];

    public List<string> TrafficDirection { get; } = [];

    /// <summary>The filters; empty when no flag was given (every flow).</summary>
    /// <exception cref="ArgumentException">A verdict, type or direction name is unknown.</exception>
    public List<FlowFilter> Build()
    {
        var common = new FlowFilter();
        common.Protocol.AddRange(Protocol);
        foreach (var v in Verdict)
        {
            common.Verdict.Add(Enum.TryParse<Verdict>(v, ignoreCase: true, out var verdict) && Enum.IsDefined(verdict)
                ? verdict
                : throw new ArgumentException($"unknown verdict '{v}' (FORWARDED, DROPPED, AUDIT, ERROR, …)"));
        }

        foreach (var t in Type)
        {
            common.EventType.Add(new EventTypeFilter
            {
                Type = EventTypes.TryGetValue(t, out int type) ? type : throw new ArgumentException($"unknown type '{t}' (trace, drop, policy-verdict)"),
            });
        }

        foreach (var d in TrafficDirection)
        {
            common.TrafficDirection.Add(d.ToLowerInvariant() switch
            {
                "ingress" => Api.Flow.TrafficDirection.Ingress,
                "egress" => Api.Flow.TrafficDirection.Egress,
                _ => throw new ArgumentException($"unknown traffic direction '{d}' (ingress, egress)"),
            });
        }

        var sided = common.Clone();
        sided.SourceIp.AddRange(FromIp);
        sided.DestinationIp.AddRange(ToIp);
        sided.SourceLabel.AddRange(FromLabel);
        sided.DestinationLabel.AddRange(ToLabel);
        sided.SourcePod.AddRange(FromPod);
        sided.DestinationPod.AddRange(ToPod);
        sided.SourcePort.AddRange(FromPort);
        sided.DestinationPort.AddRange(ToPort);

        bool eitherSide = Ip.Count + Label.Count + Port.Count + Identity.Count > 0;
        if (!eitherSide)
        {
            return sided.Equals(new FlowFilter()) ? [] : [sided];
        }

        var source = sided.Clone();
        source.SourceIp.AddRange(Ip);
        source.SourceLabel.AddRange(Label);
        source.SourcePort.AddRange(Port);
        source.SourceIdentity.AddRange(Identity);
        var destination = sided.Clone();
        destination.DestinationIp.AddRange(Ip);
        destination.DestinationLabel.AddRange(Label);
        destination.DestinationPort.AddRange(Port);
        destination.DestinationIdentity.AddRange(Identity);
        return [source, destination];
    }
}
