using System.Globalization;
using Prometheus;
using Sluice.Api.Flow;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Pipeline;
using Sluice.FlowExporter.Sinks;

namespace Sluice.FlowExporter.Metrics;

/// <summary>
/// Hubble's flow metrics (DESIGN §4.5; names, labels and counting rules from Hubble's metric handlers)
/// on a caller-supplied <see cref="CollectorRegistry"/>, so several instances and tests never share the
/// static default registry. Label values are cached per combination so counting allocates nothing.
/// Lost-event counts are read from the pipeline and observer at scrape time.
/// </summary>
public sealed class PrometheusMetricsSink : IFlowSink
{
    private readonly Counter _flowsProcessed;
    private readonly Counter _drops;
    private readonly Counter _policyVerdicts;
    private readonly Counter _tcpFlags;
    private readonly Counter _ports;
    private readonly Counter _icmp;
    private readonly Counter _lost;
    private readonly Dictionary<(FlowEventKind, Verdict, bool), Counter.Child> _flowsChildren = [];
    private readonly Dictionary<(DropReason, byte, byte), Counter.Child> _dropChildren = [];
    private readonly Dictionary<(TrafficDirection, byte, Verdict), Counter.Child> _policyChildren = [];
    private readonly Dictionary<(string, byte), Counter.Child> _tcpChildren = [];
    private readonly Dictionary<(byte, byte, ushort), Counter.Child> _portChildren = [];
    private readonly Dictionary<(byte, byte), Counter.Child> _icmpChildren = [];

    /// <summary>Registers the metrics on <paramref name="registry"/>.</summary>
    /// <param name="registry">Where to register.</param>
    /// <param name="lossSources">Called at scrape time; returns cumulative loss per Hubble source
    /// (perf_event_ring_buffer, observer_events_queue, hubble_ring_buffer).</param>
    public PrometheusMetricsSink(CollectorRegistry registry, Func<IReadOnlyDictionary<string, long>>? lossSources = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _flowsProcessed = factory.CreateCounter("hubble_flows_processed_total", "Total number of flows processed", "type", "subtype", "verdict");
        _drops = factory.CreateCounter("hubble_drop_total", "Number of drops", "reason", "protocol");
        _policyVerdicts = factory.CreateCounter("hubble_policy_verdicts_total", "Number of policy verdicts", "direction", "match", "action");
        _tcpFlags = factory.CreateCounter("hubble_tcp_flags_total", "TCP flag occurrences", "flag", "family");
        _ports = factory.CreateCounter("hubble_port_distribution_total", "Numbers of packets distributed by destination port", "protocol", "port");
        _icmp = factory.CreateCounter("hubble_icmp_total", "Number of ICMP messages", "family", "type");
        _lost = factory.CreateCounter("hubble_lost_events_total", "Number of lost events", "source");
        if (lossSources is not null)
        {
            registry.AddBeforeCollectCallback(() =>
            {
                foreach (var (source, total) in lossSources())
                {
                    _lost.WithLabels(source).IncTo(total);
                }
            });
        }
    }

    /// <summary>Hubble loss sources for a pipeline and an observer: kernel ring, pipeline and sink queues, subscriber lag.</summary>
    public static Func<IReadOnlyDictionary<string, long>> LossSourcesOf(FlowPipeline pipeline, Func<long>? subscriberLost = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return () => new Dictionary<string, long>
        {
            ["perf_event_ring_buffer"] = pipeline.Counters.KernelLost,
            ["observer_events_queue"] = pipeline.Counters.PipelineQueueLost + pipeline.Sinks.Sum(s => s.Lost),
            ["hubble_ring_buffer"] = subscriberLost?.Invoke() ?? 0,
        };
    }

    /// <inheritdoc/>
    public string Name => "metrics";

    /// <inheritdoc/>
    public void Consume(ReadOnlySpan<FlowEvent> flows)
    {
        foreach (ref readonly var flow in flows)
        {
            Count(flow);
        }
    }

    /// <inheritdoc/>
    public void Complete()
    {
    }

    private void Count(in FlowEvent flow)
    {
        bool toEndpoint = (flow.Direction == TrafficDirection.Ingress) != (flow.Reply == ReplyState.Reply);
        Child(_flowsChildren, (flow.Kind, flow.Verdict, toEndpoint), k => _flowsProcessed.WithLabels(
            k.Item1 switch
            {
                FlowEventKind.PolicyVerdict => "PolicyVerdict",
                FlowEventKind.Drop => "Drop",
                FlowEventKind.Trace or FlowEventKind.Report => "Trace",
                _ => "Unknown",
            },
            k.Item1 is FlowEventKind.Trace or FlowEventKind.Report ? (k.Item3 ? "to-endpoint" : "from-endpoint") : string.Empty,
            CompactFormatter.VerdictName(k.Item2))).Inc();

        if (flow.Verdict == Verdict.Dropped)
        {
            Child(_dropChildren, (flow.DropReason, flow.Protocol, flow.IpVersion), k => _drops.WithLabels(
                DropReasonName(k.Item1), HubbleNames.ProtocolName(k.Item2, k.Item3))).Inc(1 + flow.SuppressedDrops);
        }

        // Hubble skips L3/L4 verdicts whose source is the host identity.
        if (flow.Kind == FlowEventKind.PolicyVerdict && flow.SourceIdentity != Enrichment.ReservedIdentities.Host)
        {
            Child(_policyChildren, (flow.Direction, flow.PolicyMatchType, flow.Verdict), k => _policyVerdicts.WithLabels(
                CompactFormatter.DirectionName(k.Item1).ToLowerInvariant(),
                HubbleNames.PolicyMatchTypeName(k.Item2).ToLowerInvariant(),
                CompactFormatter.VerdictName(k.Item3).ToLowerInvariant())).Inc();
        }

        bool forwarded = flow.Verdict is Verdict.Forwarded or Verdict.Redirected;
        if (forwarded && flow.Protocol == 6)
        {
            CountTcpFlags(flow);
        }

        if (forwarded && flow.Reply == ReplyState.Request)
        {
            if (flow.Protocol is 6 or 17 or 132)
            {
                Child(_portChildren, (flow.Protocol, flow.IpVersion, flow.DestinationPort), k => _ports.WithLabels(
                    HubbleNames.ProtocolName(k.Item1, k.Item2), k.Item3.ToString(CultureInfo.InvariantCulture))).Inc();
            }
            else if (flow.Protocol is 1 or 58)
            {
                Child(_portChildren, (flow.Protocol, flow.IpVersion, (ushort)0), k => _ports.WithLabels(HubbleNames.ProtocolName(k.Item1, k.Item2), "0")).Inc();
            }
        }

        if ((flow.Protocol == 1 && flow.IpVersion == 4) || (flow.Protocol == 58 && flow.IpVersion == 6))
        {
            Child(_icmpChildren, (flow.IpVersion, flow.IcmpType), k => _icmp.WithLabels(
                k.Item1 == 4 ? "IPv4" : "IPv6", HubbleNames.IcmpTypeName(k.Item1, k.Item2))).Inc();
        }
    }

    private void CountTcpFlags(in FlowEvent flow)
    {
        var flags = flow.TcpFlags;
        string? name = (flags & (TcpFlagBits.Syn | TcpFlagBits.Ack)) == (TcpFlagBits.Syn | TcpFlagBits.Ack) ? "SYN-ACK"
            : (flags & TcpFlagBits.Syn) != 0 ? "SYN" : null;
        if (name is not null)
        {
            TcpChild(name, flow.IpVersion).Inc();
        }

        if ((flags & TcpFlagBits.Fin) != 0)
        {
            TcpChild("FIN", flow.IpVersion).Inc();
        }

        if ((flags & TcpFlagBits.Rst) != 0)
        {
            TcpChild("RST", flow.IpVersion).Inc();
        }
    }

    private Counter.Child TcpChild(string flag, byte ipVersion) =>
        Child(_tcpChildren, (flag, ipVersion), k => _tcpFlags.WithLabels(k.Item1, k.Item2 == 6 ? "IPv6" : "IPv4"));

    private static string DropReasonName(DropReason reason)
    {
        string? name = Enum.GetName(reason);
        if (name is null)
        {
            return ((int)reason).ToString(CultureInfo.InvariantCulture);
        }

        // The enum's proto name (POLICY_DENIED) is what Hubble puts in the label.
        var field = typeof(DropReason).GetField(name);
        var original = field?.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault();
        return original?.Name ?? name;
    }

    private static Counter.Child Child<TKey>(Dictionary<TKey, Counter.Child> cache, TKey key, Func<TKey, Counter.Child> create)
        where TKey : notnull
    {
        if (!cache.TryGetValue(key, out var child))
        {
            child = create(key);
            cache[key] = child;
        }

        return child;
    }
}
