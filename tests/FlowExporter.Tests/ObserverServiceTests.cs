using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Api.Flow;
using Sluice.Api.Observer;
using Sluice.Api.Relay;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Observer;
using Sluice.FlowExporter.Sinks;
using Xunit;

namespace Sluice.FlowExporter.Tests;

/// <summary>The observer service on a real Kestrel server, reached over a real unix socket by Grpc.Net.Client.</summary>
public sealed class ObserverServiceTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slc-obs-").FullName;
    private readonly FlowRing _ring = new(1000);
    private WebApplication? _app;
    private GrpcChannel? _channel;
    private ObserverService? _service;
    private long _kernelLost;
    private long _queueLost;

    private Sluice.Api.Observer.Observer.ObserverClient Client => new(_channel!);

    public async Task InitializeAsync()
    {
        string socket = Path.Combine(_directory, "hubble.sock");
        _service = new ObserverService(_ring, new FlowConversionContext("node1", "0.1.0", "01234567-89ab-cdef-0123"), TimeProvider.System,
            new ObserverServiceOptions
            {
                SubscriberQueueCapacity = 200,
                Address = "unix://" + socket,
                UpstreamLoss = () => new UpstreamLoss(Volatile.Read(ref _kernelLost), Volatile.Read(ref _queueLost)),
                LostEventInterval = TimeSpan.FromMilliseconds(100),
            });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_service);
        _app = builder.Build();
        _app.MapGrpcService<ObserverService>();
        await _app.StartAsync();

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), token);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Writes flows 1..count: odd ones allowed TCP, even ones dropped UDP, one millisecond apart.</summary>
    private void Fill(int count, int firstSequence = 1)
    {
        var flows = new FlowEvent[count];
        for (int i = 0; i < count; i++)
        {
            int n = firstSequence + i;
            var flow = n % 2 == 1 ? TestFlows.NewTcp(TestFlows.BaseTimeNs + (n * 1_000_000L)) : TestFlows.DroppedUdp(TestFlows.BaseTimeNs + (n * 1_000_000L));
            flow.Sequence = (ulong)n;
            flows[i] = TestFlows.Enriched(flow);
        }

        _ring.Consume(flows);
    }

    private static ulong SequenceOf(Flow flow) => Convert.ToUInt64(flow.Uuid[24..], 16);

    private static async Task<List<GetFlowsResponse>> ReadAllAsync(AsyncServerStreamingCall<GetFlowsResponse> call)
    {
        var responses = new List<GetFlowsResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            responses.Add(response);
        }

        return responses;
    }

    [Fact]
    public async Task GetFlows_Number_ReturnsLastNInOrder()
    {
        Fill(100);
        using var call = Client.GetFlows(new GetFlowsRequest { Number = 10 });
        var responses = await ReadAllAsync(call);

        Assert.Equal(Enumerable.Range(91, 10).Select(i => (ulong)i), responses.Select(r => SequenceOf(r.Flow)));
        Assert.All(responses, r => Assert.Equal("node1", r.NodeName));
        Assert.All(responses, r => Assert.Equal(r.Flow.Time, r.Time));
    }

    [Fact]
    public async Task GetFlows_First_ReturnsOldestN()
    {
        Fill(50);
        using var call = Client.GetFlows(new GetFlowsRequest { Number = 3, First = true });
        var responses = await ReadAllAsync(call);
        Assert.Equal([1UL, 2UL, 3UL], responses.Select(r => SequenceOf(r.Flow)));
    }

    [Fact]
    public async Task GetFlows_WhitelistAndBlacklist_AreApplied()
    {
        Fill(100);
        var request = new GetFlowsRequest { Number = 5 };
        request.Whitelist.Add(new FlowFilter { Verdict = { Verdict.Dropped } });
        request.Whitelist.Add(new FlowFilter { SourcePod = { "shop/frontend" } });
        request.Blacklist.Add(new FlowFilter { DestinationPort = { "8080" } });
        using var call = Client.GetFlows(request);
        var responses = await ReadAllAsync(call);

        Assert.Equal([92UL, 94UL, 96UL, 98UL, 100UL], responses.Select(r => SequenceOf(r.Flow)));
        Assert.All(responses, r => Assert.Equal(DropReason.PolicyDenied, r.Flow.DropReasonDesc));
    }

    [Fact]
    public async Task GetFlows_SinceUntil_SelectsTimeWindow()
    {
        Fill(100);
        var request = new GetFlowsRequest
        {
            Since = FlowProtoConverter.ToTimestamp(TestFlows.BaseTimeNs + (10 * 1_000_000L)),
            Until = FlowProtoConverter.ToTimestamp(TestFlows.BaseTimeNs + (14 * 1_000_000L)),
        };
        using var call = Client.GetFlows(request);
        var responses = await ReadAllAsync(call);
        Assert.Equal([10UL, 11UL, 12UL, 13UL, 14UL], responses.Select(r => SequenceOf(r.Flow)));
    }

    [Fact]
    public async Task GetFlows_NumberWithinTimeWindow_ReturnsLastNOfTheWindow()
    {
        Fill(100);
        var request = new GetFlowsRequest
        {
            Number = 2,
            Since = FlowProtoConverter.ToTimestamp(TestFlows.BaseTimeNs + (10 * 1_000_000L)),
            Until = FlowProtoConverter.ToTimestamp(TestFlows.BaseTimeNs + (14 * 1_000_000L)),
        };
        using var call = Client.GetFlows(request);
        var responses = await ReadAllAsync(call);
        Assert.Equal([13UL, 14UL], responses.Select(r => SequenceOf(r.Flow)));
    }

    [Fact]
    public async Task GetFlows_FieldMask_KeepsOnlyListedFields()
    {
        Fill(4);
        var request = new GetFlowsRequest { Number = 2, FieldMask = new FieldMask { Paths = { "verdict", "source.pod_name" } } };
        using var call = Client.GetFlows(request);
        var responses = await ReadAllAsync(call);

        Assert.Equal(2, responses.Count);
        Assert.All(responses, r =>
        {
            Assert.Null(r.Flow.IP);
            Assert.Null(r.Flow.Destination);
            Assert.Equal(string.Empty, r.Flow.Uuid);
            Assert.NotEqual(Verdict.Unknown, r.Flow.Verdict);
            Assert.Equal(0u, r.Flow.Source.Identity);
        });
        Assert.Equal("frontend", responses[0].Flow.Source.PodName);
    }

    [Fact]
    public async Task GetFlows_Follow_StreamsNewFlowsAsTheyArrive()
    {
        Fill(10);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var request = new GetFlowsRequest { Follow = true };
        request.Whitelist.Add(new FlowFilter { Verdict = { Verdict.Forwarded } });
        using var call = Client.GetFlows(request, cancellationToken: cancel.Token);

        // Keep writing until the subscriber has attached and seen three new allowed flows.
        var received = new List<ulong>();
        var reading = Task.Run(async () =>
        {
            while (received.Count < 3 && await call.ResponseStream.MoveNext(cancel.Token))
            {
                received.Add(SequenceOf(call.ResponseStream.Current.Flow));
            }
        });
        int next = 11;
        while (!reading.IsCompleted)
        {
            Fill(2, next);
            next += 2;
            await Task.WhenAny(reading, Task.Delay(50));
        }

        await reading;
        Assert.Equal(3, received.Count);
        Assert.All(received, s => Assert.True(s > 10 && s % 2 == 1, $"{s} is a new allowed flow"));
        Assert.Equal(received.Order(), received);
    }

    [Fact]
    public async Task GetFlows_SlowFollower_GetsLostEventsAndEveryFlowIsAccounted()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = Client.GetFlows(new GetFlowsRequest { Follow = true }, cancellationToken: cancel.Token);

        // Write one flow at a time until the subscription delivers one: from then on the server's cursor
        // is known to be live, and every flow written after it must arrive or be reported lost.
        var first = call.ResponseStream.MoveNext(cancel.Token);
        int next = 1;
        while (!first.IsCompleted)
        {
            Fill(1, next++);
            await Task.WhenAny(first, Task.Delay(20));
        }

        Assert.True(await first);
        ulong firstSequence = SequenceOf(call.ResponseStream.Current.Flow);

        // The ring holds 1000 and the subscriber may lag 200: without reading, most of the flood is skipped.
        const int flood = 20_000;
        for (int i = 0; i < flood; i += 100)
        {
            Fill(100, next);
            next += 100;
        }

        long expected = _ring.Written - (long)firstSequence;
        long flows = 0;
        long lost = 0;
        while (flows + lost < expected && await call.ResponseStream.MoveNext(cancel.Token))
        {
            var response = call.ResponseStream.Current;
            if (response.ResponseTypesCase == GetFlowsResponse.ResponseTypesOneofCase.LostEvents)
            {
                Assert.Equal(LostEventSource.HubbleRingBuffer, response.LostEvents.Source);
                lost += (long)response.LostEvents.NumEventsLost;
            }
            else
            {
                flows++;
            }
        }

        Assert.Equal(expected, flows + lost);
        Assert.True(lost > 0, "the follower lagged more than its 200-flow bound");
        Assert.Equal(lost, _service!.SubscriberLost);
    }

    [Fact]
    public async Task GetFlows_InvalidFilter_IsInvalidArgument()
    {
        var request = new GetFlowsRequest { Number = 1 };
        request.Whitelist.Add(new FlowFilter { SourceIp = { "not-an-ip" } });
        using var call = Client.GetFlows(request);
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(call));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("source_ip", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFlows_FirstWithFollow_IsInvalidArgument()
    {
        using var call = Client.GetFlows(new GetFlowsRequest { First = true, Follow = true });
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(call));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task ServerStatus_ReportsRingFillAndTotals()
    {
        Fill(1200);
        var status = await Client.ServerStatusAsync(new ServerStatusRequest());
        Assert.Equal(1000UL, status.NumFlows);
        Assert.Equal(1000UL, status.MaxFlows);
        Assert.Equal(1200UL, status.SeenFlows);
        Assert.Equal("0.1.0", status.Version);
        Assert.True(status.UptimeNs > 0);
    }

    [Fact]
    public async Task GetNodesAndNamespaces_DescribeThisNode()
    {
        var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        var flow = TestFlows.Enriched(TestFlows.NewTcp(now));
        _ring.Consume([flow]);

        var nodes = await Client.GetNodesAsync(new GetNodesRequest());
        var node = Assert.Single(nodes.Nodes);
        Assert.Equal("node1", node.Name);
        Assert.Equal(NodeState.NodeConnected, node.State);
        Assert.Equal(1UL, node.SeenFlows);

        var namespaces = await Client.GetNamespacesAsync(new GetNamespacesRequest());
        Assert.Equal(["shop"], namespaces.Namespaces.Select(n => n.Namespace_));
    }

    [Fact]
    public async Task GetFlows_Follow_ReportsUpstreamLossBySource()
    {
        Interlocked.Exchange(ref _kernelLost, 100); // loss before the subscription is not reported to it
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = Client.GetFlows(new GetFlowsRequest { Follow = true }, cancellationToken: cancel.Token);
        var first = call.ResponseStream.MoveNext(cancel.Token);
        int next = 1;
        while (!first.IsCompleted)
        {
            Fill(1, next++);
            await Task.WhenAny(first, Task.Delay(20));
        }

        Assert.True(await first);
        Interlocked.Add(ref _kernelLost, 7);
        Interlocked.Add(ref _queueLost, 3);

        var lost = new Dictionary<LostEventSource, ulong>();
        while (lost.Values.Sum(v => (long)v) < 10 && await call.ResponseStream.MoveNext(cancel.Token))
        {
            if (call.ResponseStream.Current.LostEvents is { } e)
            {
                lost[e.Source] = lost.GetValueOrDefault(e.Source) + e.NumEventsLost;
            }
        }

        Assert.Equal(7UL, lost[LostEventSource.PerfEventRingBuffer]);
        Assert.Equal(3UL, lost[LostEventSource.ObserverEventsQueue]);
    }
}
