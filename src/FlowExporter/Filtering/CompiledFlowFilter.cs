using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Google.Protobuf.Collections;
using Sluice.Api.Flow;

namespace Sluice.FlowExporter.Filtering;

/// <summary>
/// One <see cref="FlowFilter"/> turned into predicates once, so evaluation parses nothing per flow.
/// Every set field must match (AND); inside one repeated field any value may match (OR) — Hubble's
/// FlowFilter rule (flow.proto, pkg/hubble/filters).
/// </summary>
internal sealed class CompiledFlowFilter
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly List<Func<Flow, bool>> _predicates = [];

    public CompiledFlowFilter(FlowFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Experimental is { CelExpression.Count: > 0 })
        {
            throw new FlowFilterException("experimental.cel_expression: CEL filters are not supported");
        }

        AddSet(filter.Uuid, f => f.Uuid);
        AddIp(filter.SourceIp, "source_ip", f => f.IP?.Source);
        AddIp(filter.SourceIpXlated, "source_ip_xlated", f => f.IP?.SourceXlated);
        AddIp(filter.DestinationIp, "destination_ip", f => f.IP?.Destination);
        AddPod(filter.SourcePod, f => f.Source);
        AddPod(filter.DestinationPod, f => f.Destination);
        AddService(filter.SourceService, f => f.SourceService);
        AddService(filter.DestinationService, f => f.DestinationService);
        AddGlobs(filter.SourceFqdn, "source_fqdn", f => f.SourceNames);
        AddGlobs(filter.DestinationFqdn, "destination_fqdn", f => f.DestinationNames);
        AddLabels(filter.SourceLabel, f => f.Source?.Labels);
        AddLabels(filter.DestinationLabel, f => f.Destination?.Labels);
        AddLabels(filter.NodeLabels, f => f.NodeLabels);
        AddWorkloads(filter.SourceWorkload, f => f.Source);
        AddWorkloads(filter.DestinationWorkload, f => f.Destination);
        AddSet(filter.SourceClusterName, f => f.Source?.ClusterName ?? string.Empty);
        AddSet(filter.DestinationClusterName, f => f.Destination?.ClusterName ?? string.Empty);
        AddEnum(filter.TrafficDirection, f => f.TrafficDirection);
        AddEnum(filter.Verdict, f => f.Verdict);
        AddEnum(filter.DropReasonDesc, f => f.DropReasonDesc);
        AddEnum(filter.IpVersion, f => f.IP?.IpVersion ?? IPVersion.IpNotUsed);
        AddInterfaces(filter.Interface);
        AddEventTypes(filter.EventType);
        AddProtocols(filter.Protocol);
        AddPorts(filter.SourcePort, "source_port", true);
        AddPorts(filter.DestinationPort, "destination_port", false);
        if (filter.Reply.Count > 0)
        {
            var replies = filter.Reply.ToArray();
            _predicates.Add(f => f.IsReply is not null && replies.Contains(f.IsReply.Value));
        }

        AddNumbers(filter.SourceIdentity, f => f.Source?.Identity ?? 0);
        AddNumbers(filter.DestinationIdentity, f => f.Destination?.Identity ?? 0);
        AddTcpFlags(filter.TcpFlags);
        AddNodeNames(filter.NodeName);
        AddSet(filter.TraceId, f => f.TraceContext?.Parent?.TraceId ?? string.Empty);
        if (filter.IpTraceId.Count > 0)
        {
            var ids = filter.IpTraceId.ToArray();
            _predicates.Add(f => f.IpTraceId is not null && ids.Contains(f.IpTraceId.TraceId));
        }

        if (filter.Encrypted.Count > 0)
        {
            var values = filter.Encrypted.ToArray();
            _predicates.Add(f => f.IP is not null && values.Contains(f.IP.Encrypted));
        }

        AddRegexes(filter.DnsQuery, "dns_query", f => f.L7?.Dns?.Query);
        AddRegexes(filter.HttpPath, "http_path", f => f.L7?.Http is { } http ? PathOf(http.Url) : null);
        AddRegexes(filter.HttpUrl, "http_url", f => f.L7?.Http?.Url);
        if (filter.HttpMethod.Count > 0)
        {
            var methods = filter.HttpMethod.ToArray();
            _predicates.Add(f => f.L7?.Http is { } http && methods.Any(m => string.Equals(m, http.Method, StringComparison.OrdinalIgnoreCase)));
        }

        AddHttpStatus(filter.HttpStatusCode);
        if (filter.HttpHeader.Count > 0)
        {
            var headers = filter.HttpHeader.ToArray();
            _predicates.Add(f => f.L7?.Http is { } http
                && headers.Any(h => http.Headers.Any(x => string.Equals(x.Key, h.Key, StringComparison.OrdinalIgnoreCase) && x.Value == h.Value)));
        }
    }

    public bool Matches(Flow flow)
    {
        foreach (var predicate in _predicates)
        {
            if (!predicate(flow))
            {
                return false;
            }
        }

        return true;
    }

    private static string PathOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;

    private void AddSet(RepeatedField<string> values, Func<Flow, string> field)
    {
        if (values.Count > 0)
        {
            var set = values.ToHashSet(StringComparer.Ordinal);
            _predicates.Add(f => set.Contains(field(f)));
        }
    }

    private void AddEnum<T>(RepeatedField<T> values, Func<Flow, T> field)
        where T : struct, Enum
    {
        if (values.Count > 0)
        {
            var set = values.ToHashSet();
            _predicates.Add(f => set.Contains(field(f)));
        }
    }

    private void AddNumbers(RepeatedField<uint> values, Func<Flow, uint> field)
    {
        if (values.Count > 0)
        {
            var set = values.ToHashSet();
            _predicates.Add(f => set.Contains(field(f)));
        }
    }

    private void AddIp(RepeatedField<string> values, string name, Func<Flow, string?> field)
    {
        if (values.Count == 0)
        {
            return;
        }

        var networks = new List<IPNetwork>();
        foreach (string value in values)
        {
            if (value.Contains('/', StringComparison.Ordinal))
            {
                if (!IPNetwork.TryParse(value, out var network))
                {
                    throw new FlowFilterException($"{name}: \"{value}\" is not an IP address or CIDR");
                }

                networks.Add(network);
            }
            else if (IPAddress.TryParse(value, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FlowFilterException($"{name}: \"{value}\" is not an IP address or CIDR");
            }
        }

        _predicates.Add(f => field(f) is { Length: > 0 } text && IPAddress.TryParse(text, out var address)
            && networks.Exists(n => n.Contains(address)));
    }

    // "ns/prefix", "ns/", "/prefix" or "prefix": namespace must equal when given, the name must start with the prefix.
    private static (string? Namespace, string Prefix)[] ParsePodSelectors(IEnumerable<string> values) =>
        values.Select(value =>
        {
            int slash = value.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? ((string?)null, value) : (value[..slash].Length == 0 ? null : value[..slash], value[(slash + 1)..]);
        }).ToArray();

    private void AddPod(RepeatedField<string> values, Func<Flow, Endpoint?> field)
    {
        if (values.Count == 0)
        {
            return;
        }

        var selectors = ParsePodSelectors(values);
        _predicates.Add(f => field(f) is { } endpoint && selectors.Any(s =>
            (s.Namespace is null || s.Namespace == endpoint.Namespace)
            && (s.Prefix.Length == 0 ? s.Namespace is not null : endpoint.PodName.StartsWith(s.Prefix, StringComparison.Ordinal))));
    }

    private void AddService(RepeatedField<string> values, Func<Flow, Service?> field)
    {
        if (values.Count == 0)
        {
            return;
        }

        var selectors = ParsePodSelectors(values);
        _predicates.Add(f => field(f) is { } service && selectors.Any(s =>
            (s.Namespace is null || s.Namespace == service.Namespace) && service.Name.StartsWith(s.Prefix, StringComparison.Ordinal)));
    }

    private void AddGlobs(RepeatedField<string> values, string name, Func<Flow, IEnumerable<string>> field)
    {
        if (values.Count == 0)
        {
            return;
        }

        var patterns = values.Select(v => GlobToRegex(v, name)).ToArray();
        _predicates.Add(f => field(f).Any(n => patterns.Any(p => p.IsMatch(n))));
    }

    private static Regex GlobToRegex(string pattern, string name)
    {
        if (pattern.Length == 0)
        {
            throw new FlowFilterException($"{name}: empty pattern");
        }

        string expression = "^" + Regex.Escape(pattern.TrimEnd('.')).Replace("\\*", "[^/]*", StringComparison.Ordinal) + "\\.?$";
        return new Regex(expression, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
    }

    private void AddNodeNames(RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        // "cluster/" alone selects every node of a cluster; Sluice serves a single node without a cluster
        // name, so node names are matched as given.
        var patterns = values.Select(v =>
        {
            if (v.Length == 0)
            {
                throw new FlowFilterException("node_name: empty pattern");
            }

            string expression = "^" + Regex.Escape(v.EndsWith('/') ? v + "*" : v).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
            return new Regex(expression, RegexOptions.CultureInvariant, RegexTimeout);
        }).ToArray();
        _predicates.Add(f => patterns.Any(p => p.IsMatch(f.NodeName)));
    }

    private void AddLabels(RepeatedField<string> values, Func<Flow, IReadOnlyList<string>?> field)
    {
        if (values.Count == 0)
        {
            return;
        }

        var selectors = values.Select(LabelSelector.Parse).ToArray();
        _predicates.Add(f => field(f) is { } labels && selectors.Any(s => s.Matches(labels)));
    }

    private void AddWorkloads(RepeatedField<Workload> values, Func<Flow, Endpoint?> field)
    {
        if (values.Count == 0)
        {
            return;
        }

        var wanted = values.ToArray();
        _predicates.Add(f => field(f) is { } endpoint && endpoint.Workloads.Any(w => wanted.Any(x =>
            (x.Name.Length == 0 || x.Name == w.Name) && (x.Kind.Length == 0 || x.Kind == w.Kind))));
    }

    private void AddInterfaces(RepeatedField<NetworkInterface> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var wanted = values.ToArray();
        _predicates.Add(f => f.Interface is { } i && wanted.Any(x =>
            (x.Index == 0 || x.Index == i.Index) && (x.Name.Length == 0 || x.Name == i.Name)));
    }

    private void AddEventTypes(RepeatedField<EventTypeFilter> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var wanted = values.ToArray();
        _predicates.Add(f => f.EventType is { } t && wanted.Any(x => x.Type == t.Type && (!x.MatchSubType || x.SubType == t.SubType)));
    }

    private void AddProtocols(RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var wanted = new HashSet<Layer4.ProtocolOneofCase>();
        var wantedL7 = new HashSet<Layer7.RecordOneofCase>();
        foreach (string value in values)
        {
            switch (value.ToLowerInvariant())
            {
                case "tcp": wanted.Add(Layer4.ProtocolOneofCase.TCP); break;
                case "udp": wanted.Add(Layer4.ProtocolOneofCase.UDP); break;
                case "sctp": wanted.Add(Layer4.ProtocolOneofCase.SCTP); break;
                case "icmp":
                    wanted.Add(Layer4.ProtocolOneofCase.ICMPv4);
                    wanted.Add(Layer4.ProtocolOneofCase.ICMPv6);
                    break;
                case "icmpv4": wanted.Add(Layer4.ProtocolOneofCase.ICMPv4); break;
                case "icmpv6": wanted.Add(Layer4.ProtocolOneofCase.ICMPv6); break;
                case "vrrp": wanted.Add(Layer4.ProtocolOneofCase.VRRP); break;
                case "igmp": wanted.Add(Layer4.ProtocolOneofCase.IGMP); break;
                case "http": wantedL7.Add(Layer7.RecordOneofCase.Http); break;
                case "dns": wantedL7.Add(Layer7.RecordOneofCase.Dns); break;
                case "kafka": wantedL7.Add(Layer7.RecordOneofCase.Kafka); break;
                default: throw new FlowFilterException($"protocol: unknown protocol \"{value}\"");
            }
        }

        _predicates.Add(f => (f.L4 is { } l4 && wanted.Contains(l4.ProtocolCase)) || (f.L7 is { } l7 && wantedL7.Contains(l7.RecordCase)));
    }

    private void AddPorts(RepeatedField<string> values, string name, bool source)
    {
        if (values.Count == 0)
        {
            return;
        }

        var ports = values.Select(v => ushort.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port)
            ? (uint)port
            : throw new FlowFilterException($"{name}: \"{v}\" is not a port number (0-65535)")).ToHashSet();
        _predicates.Add(f =>
        {
            uint? port = f.L4?.ProtocolCase switch
            {
                Layer4.ProtocolOneofCase.TCP => source ? f.L4.TCP.SourcePort : f.L4.TCP.DestinationPort,
                Layer4.ProtocolOneofCase.UDP => source ? f.L4.UDP.SourcePort : f.L4.UDP.DestinationPort,
                Layer4.ProtocolOneofCase.SCTP => source ? f.L4.SCTP.SourcePort : f.L4.SCTP.DestinationPort,
                _ => null,
            };
            return port is { } p && ports.Contains(p);
        });
    }

    private void AddTcpFlags(RepeatedField<TCPFlags> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var wanted = values.ToArray();
        _predicates.Add(f => f.L4?.TCP?.Flags is { } flags && wanted.Any(w =>
            (!w.SYN || flags.SYN) && (!w.ACK || flags.ACK) && (!w.FIN || flags.FIN) && (!w.RST || flags.RST)
            && (!w.PSH || flags.PSH) && (!w.URG || flags.URG) && (!w.ECE || flags.ECE) && (!w.CWR || flags.CWR)
            && (!w.NS || flags.NS)));
    }

    private void AddRegexes(RepeatedField<string> values, string name, Func<Flow, string?> field)
    {
        if (values.Count == 0)
        {
            return;
        }

        var patterns = values.Select(v =>
        {
            try
            {
                return new Regex(v, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                throw new FlowFilterException($"{name}: invalid regular expression \"{v}\": {e.Message}", e);
            }
        }).ToArray();
        _predicates.Add(f => field(f) is { } text && patterns.Any(p => p.IsMatch(text)));
    }

    // "404" matches exactly; "4+" matches 400-499 (Hubble's http_status_code syntax).
    private void AddHttpStatus(RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var ranges = values.Select(v =>
        {
            if (v.Length == 2 && v[1] == '+' && v[0] is >= '1' and <= '5')
            {
                uint low = (uint)(v[0] - '0') * 100;
                return (Low: low, High: low + 99);
            }

            if (v.Length == 3 && uint.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out uint code) && code >= 100 && code <= 599)
            {
                return (Low: code, High: code);
            }

            throw new FlowFilterException($"http_status_code: \"{v}\" is neither a status code nor a class like \"4+\"");
        }).ToArray();
        _predicates.Add(f => f.L7?.Http is { Code: > 0 } http && ranges.Any(r => http.Code >= r.Low && http.Code <= r.High));
    }
}
