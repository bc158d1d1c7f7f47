using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sluice.Api.Observer;

namespace Sluice.Cli.Daemon;

/// <summary>
/// <c>sluice observe</c>: flows from sluiced's observer.Observer service, filtered like <c>hubble observe</c>,
/// printed as compact lines, Hubble JSON (<c>json</c>/<c>jsonpb</c>: one GetFlowsResponse per line) or a table.
/// Without <c>--last</c>, <c>--since</c> or <c>--follow</c> it shows the last 20 flows, as hubble does.
/// </summary>
internal static class ObserveCommand
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var server = DaemonConnection.ServerOption();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new flows." };
        var last = new Option<ulong?>("--last") { Description = "Show the last N flows." };
        var since = new Option<string>("--since") { Description = "Flows since a time: RFC 3339 or a duration ago (30s, 5m, 1h)." };
        var output = new Option<string>("--output", "-o") { Description = "compact | json | jsonpb | table", DefaultValueFactory = _ => "compact" };
        var not = new Option<bool>("--not") { Description = "Negate the filters: show flows that do not match." };
        var lists = new (string Name, string Description, Action<ObserveFilters, string> Add)[]
        {
            ("--from-ip", "Source IP or CIDR.", (f, v) => f.FromIp.Add(v)),
            ("--to-ip", "Destination IP or CIDR.", (f, v) => f.ToIp.Add(v)),
            ("--ip", "Either side's IP or CIDR.", (f, v) => f.Ip.Add(v)),
            ("--from-label", "Source label selector (k8s:app=web).", (f, v) => f.FromLabel.Add(v)),
            ("--to-label", "Destination label selector.", (f, v) => f.ToLabel.Add(v)),
            ("--label", "Either side's label selector.", (f, v) => f.Label.Add(v)),
            ("--from-pod", "Source endpoint: [namespace/]name-prefix.", (f, v) => f.FromPod.Add(v)),
            ("--to-pod", "Destination endpoint: [namespace/]name-prefix.", (f, v) => f.ToPod.Add(v)),
            ("--from-port", "Source port.", (f, v) => f.FromPort.Add(v)),
            ("--to-port", "Destination port.", (f, v) => f.ToPort.Add(v)),
            ("--port", "Either side's port.", (f, v) => f.Port.Add(v)),
            ("--protocol", "L4 protocol (tcp, udp, icmp, …).", (f, v) => f.Protocol.Add(v)),
            ("--verdict", "FORWARDED, DROPPED, AUDIT, ….", (f, v) => f.Verdict.Add(v)),
            ("--type", "trace, drop or policy-verdict.", (f, v) => f.Type.Add(v)),
            ("--traffic-direction", "ingress or egress.", (f, v) => f.TrafficDirection.Add(v)),
            ("--identity", "Either side's numeric identity.", (f, v) => f.Identity.Add(uint.Parse(v, CultureInfo.InvariantCulture))),
        };
        var listOptions = lists.Select(l => (Option: new Option<string[]>(l.Name) { Description = l.Description, AllowMultipleArgumentsPerToken = false }, l.Add)).ToList();
        var command = new Command("observe", "Show flows from sluiced, filtered as with hubble observe.") { server, follow, last, since, output, not };
        foreach (var (option, _) in listOptions)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var filters = new ObserveFilters();
            GetFlowsRequest request;
            try
            {
                foreach (var (option, add) in listOptions)
                {
                    foreach (var value in parseResult.GetValue(option) ?? [])
                    {
                        add(filters, value);
                    }
                }

                request = new GetFlowsRequest { Follow = parseResult.GetValue(follow) };
                var built = filters.Build();
                (parseResult.GetValue(not) ? request.Blacklist : request.Whitelist).AddRange(built);
                if (parseResult.GetValue(since) is { } sinceText)
                {
                    request.Since = Timestamp.FromDateTimeOffset(ParseSince(sinceText, DateTimeOffset.UtcNow));
                }

                if (parseResult.GetValue(last) is { } n)
                {
                    request.Number = n;
                }
                else if (request.Since is null && !request.Follow)
                {
                    request.Number = 20;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                await error.WriteLineAsync($"sluice observe: {ex.Message}");
                return 1;
            }

            string format = parseResult.GetValue(output) ?? "compact";
            if (format is not ("compact" or "json" or "jsonpb" or "table"))
            {
                await error.WriteLineAsync($"sluice observe: unknown output '{format}' (compact, json, jsonpb, table)");
                return 1;
            }

            string address = parseResult.GetValue(server) ?? DaemonConnection.DefaultServer;
            var writer = parseResult.InvocationConfiguration.Output;
            try
            {
                using var channel = DaemonConnection.Open(address);
                var client = new Observer.ObserverClient(channel);
                using var call = client.GetFlows(request, cancellationToken: cancellationToken);
                if (format == "table")
                {
                    await writer.WriteLineAsync($"{"TIMESTAMP",-20} {"SOURCE",-32} {"DESTINATION",-32} {"VERDICT",-10} SUMMARY");
                }

                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    await writer.WriteLineAsync(Render(response, format));
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (RpcException ex)
            {
                await error.WriteLineAsync($"sluice observe: cannot read flows from {address}: {ex.Status.Detail}");
                return 1;
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"sluice observe: {ex.Message}");
                return 1;
            }

            return 0;
        });
        return command;
    }

    /// <summary>One response in the chosen format.</summary>
    public static string Render(GetFlowsResponse response, string format)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (format is "json" or "jsonpb")
        {
            return Json.Format(response);
        }

        if (response.ResponseTypesCase == GetFlowsResponse.ResponseTypesOneofCase.LostEvents)
        {
            return string.Create(CultureInfo.InvariantCulture, $"EVENTS LOST: {response.LostEvents.Source} {response.LostEvents.NumEventsLost}");
        }

        if (response.Flow is not { } flow)
        {
            return string.Empty;
        }

        if (format == "table")
        {
#pragma warning disable CS0612 // Summary is deprecated in flow.proto, yet hubble's table shows it.
            string summary = flow.Summary;
#pragma warning restore CS0612
            string Side(Api.Flow.Endpoint? e, string? ip) => e is { PodName.Length: > 0 } ? $"{e.Namespace}/{e.PodName}" : ip ?? string.Empty;
            return string.Create(CultureInfo.InvariantCulture,
                $"{flow.Time?.ToDateTime().ToLocalTime().ToString("MMM dd HH:mm:ss.fff", CultureInfo.InvariantCulture),-20} {Side(flow.Source, flow.IP?.Source),-32} {Side(flow.Destination, flow.IP?.Destination),-32} {flow.Verdict.ToString().ToUpperInvariant(),-10} {summary}");
        }

        return CompactFlowLine.Format(flow);
    }

    /// <summary>RFC 3339 time, or a duration (<c>30s</c>, <c>5m</c>, <c>2h</c>) before <paramref name="now"/>.</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double amount))
        {
            var span = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => (TimeSpan?)null,
            };
            if (span is { } s)
            {
                return now - s;
            }
        }

        throw new FormatException($"--since '{text}' is neither an RFC 3339 time nor a duration like 5m");
    }
}
