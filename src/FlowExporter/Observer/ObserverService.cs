using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sluice.Api.Flow;
using Sluice.Api.Observer;
using Sluice.Api.Relay;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Sinks;

namespace Sluice.FlowExporter.Observer;

/// <summary>
/// observer.Observer over the <see cref="FlowRing"/>: GetFlows (number/first/follow/since/until/
/// whitelist/blacklist/field_mask), ServerStatus, GetNodes and GetNamespaces, as Hubble's server answers
/// them. Each subscriber reads the ring through its own cursor; one that falls more than
/// <see cref="ObserverServiceOptions.SubscriberQueueCapacity"/> flows behind skips ahead and receives a
/// <c>lost_events</c> message (source HUBBLE_RING_BUFFER) with the count; losses before the ring (kernel
/// ring buffer, pipeline queues) reach following subscribers as PERF_EVENT_RING_BUFFER and
/// OBSERVER_EVENTS_QUEUE messages at most once per interval. Loss is visible, never silent.
/// </summary>
public sealed class ObserverService : Sluice.Api.Observer.Observer.ObserverBase
{
    private const int ReadChunk = 512;
    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);
    private static readonly WriteOptions FlushingWrite = new();
    private readonly FlowRing _ring;
    private readonly FlowConversionContext _context;
    private readonly TimeProvider _time;
    private readonly ObserverServiceOptions _options;
    private readonly DateTimeOffset _started;
    private long _subscriberLost;

    /// <summary>Creates the service.</summary>
    public ObserverService(FlowRing ring, FlowConversionContext context, TimeProvider timeProvider, ObserverServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _ring = ring;
        _context = context;
        _time = timeProvider;
        _options = options ?? new ObserverServiceOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.SubscriberQueueCapacity, 1);
        _started = timeProvider.GetUtcNow();
    }

    /// <summary>Flows skipped because a following subscriber fell too far behind (all subscribers).</summary>
    public long SubscriberLost => Interlocked.Read(ref _subscriberLost);

    /// <inheritdoc/>
    public override async Task GetFlows(GetFlowsRequest request, IServerStreamWriter<GetFlowsResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var query = FlowQuery.Create(request);
        var token = context.CancellationToken;

        long position = query.Follow && request.Number == 0 && query.Since is null && !request.First
            ? _ring.Written
            : await SendBacklogAsync(query, request, responseStream, token).ConfigureAwait(false);
        if (query.Follow)
        {
            await FollowAsync(query, position, responseStream, token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override Task<ServerStatusResponse> ServerStatus(ServerStatusRequest request, ServerCallContext context)
    {
        var now = _time.GetUtcNow();
        return Task.FromResult(new ServerStatusResponse
        {
            NumFlows = (ulong)_ring.Count,
            MaxFlows = (ulong)_ring.Capacity,
            SeenFlows = (ulong)_ring.Written,
            UptimeNs = (ulong)((now - _started).Ticks * 100),
            Version = _context.Version,
            FlowsRate = CountSince(now.AddMinutes(-1)) / 60.0,
        });
    }

    /// <inheritdoc/>
    public override Task<GetNodesResponse> GetNodes(GetNodesRequest request, ServerCallContext context)
    {
        var response = new GetNodesResponse();
        response.Nodes.Add(new Node
        {
            Name = _context.NodeName,
            Version = _context.Version,
            Address = _options.Address,
            State = NodeState.NodeConnected,
            Tls = new TLS { Enabled = _options.TlsEnabled },
            UptimeNs = (ulong)((_time.GetUtcNow() - _started).Ticks * 100),
            NumFlows = (ulong)_ring.Count,
            MaxFlows = (ulong)_ring.Capacity,
            SeenFlows = (ulong)_ring.Written,
        });
        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public override Task<GetNamespacesResponse> GetNamespaces(GetNamespacesRequest request, ServerCallContext context)
    {
        long since = ToUnixNs(_time.GetUtcNow().AddHours(-1));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        ForEachHeld(flow =>
        {
            if (flow.TimestampUnixNs >= since)
            {
                if (flow.Source is { Namespace.Length: > 0 } source)
                {
                    names.Add(source.Namespace);
                }

                if (flow.Destination is { Namespace.Length: > 0 } destination)
                {
                    names.Add(destination.Namespace);
                }
            }
        });
        var response = new GetNamespacesResponse();
        response.Namespaces.AddRange(names.Select(n => new Namespace { Namespace_ = n }));
        return Task.FromResult(response);
    }

    private async Task<long> SendBacklogAsync(FlowQuery query, GetFlowsRequest request, IServerStreamWriter<GetFlowsResponse> stream, CancellationToken token)
    {
        long head = _ring.Written;
        long start = _ring.Oldest;
        if (request.Number > 0 && !request.First)
        {
            if (!query.HasConditions)
            {
                // Nothing to filter: the last N are simply the last N positions.
                start = Math.Max(_ring.Oldest, head - (long)Math.Min(request.Number, (ulong)head));
            }
            else
            {
                // The last N matching flows: walk back from the head, then send oldest first.
                var picked = new List<GetFlowsResponse>();
                var chunk = new FlowEvent[ReadChunk];
                long end = head;
                while (end > _ring.Oldest && (ulong)picked.Count < request.Number)
                {
                    long from = Math.Max(_ring.Oldest, end - ReadChunk);
                    int read = _ring.Read(from, chunk.AsSpan(0, (int)(end - from)), out long first);
                    for (int i = read - 1; i >= 0 && (ulong)picked.Count < request.Number; i--)
                    {
                        if (query.Accepts(chunk[i], _context) is { } flow)
                        {
                            picked.Add(query.Response(flow, _context.NodeName));
                        }
                    }

                    end = first;
                }

                picked.Reverse();
                for (int i = 0; i < picked.Count; i += ReadChunk)
                {
                    await WriteGroupAsync(stream, picked.GetRange(i, Math.Min(ReadChunk, picked.Count - i)), token).ConfigureAwait(false);
                }

                return head;
            }
        }

        ulong sent = 0;
        long position = start;
        var buffer = new FlowEvent[ReadChunk];
        var group = new List<GetFlowsResponse>(ReadChunk);
        while (position < head)
        {
            int read = _ring.Read(position, buffer.AsSpan(0, (int)Math.Min(ReadChunk, head - position)), out long first);
            if (read == 0)
            {
                break;
            }

            group.Clear();
            bool done = false;
            for (int i = 0; i < read && !done; i++)
            {
                if (query.Until is { } until && buffer[i].TimestampUnixNs > until)
                {
                    done = true;
                }
                else if (query.Accepts(buffer[i], _context) is { } flow)
                {
                    group.Add(query.Response(flow, _context.NodeName));
                    done = request.First && request.Number > 0 && ++sent == request.Number;
                }
            }

            await WriteGroupAsync(stream, group, token).ConfigureAwait(false);
            if (done)
            {
                return head;
            }

            position = first + read;
        }

        return head;
    }

    /// <summary>
    /// Writes a group of responses with one flush at the end: grpc-dotnet flushes the HTTP/2 stream after
    /// every message unless it carries <see cref="WriteFlags.BufferHint"/>, and a flush per flow would cap
    /// the stream at a few tens of thousands of flows per second.
    /// </summary>
    private static async Task WriteGroupAsync(IServerStreamWriter<GetFlowsResponse> stream, List<GetFlowsResponse> group, CancellationToken token)
    {
        for (int i = 0; i < group.Count; i++)
        {
            stream.WriteOptions = i == group.Count - 1 ? FlushingWrite : BufferedWrite;
            await stream.WriteAsync(group[i], token).ConfigureAwait(false);
        }
    }

    private async Task FollowAsync(FlowQuery query, long position, IServerStreamWriter<GetFlowsResponse> stream, CancellationToken token)
    {
        int lagLimit = Math.Min(_options.SubscriberQueueCapacity, _ring.Capacity);
        var buffer = new FlowEvent[ReadChunk];
        var group = new List<GetFlowsResponse>(ReadChunk);
        var upstream = _options.UpstreamLoss?.Invoke() ?? default;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // Wake at least once per interval to pass on upstream loss even when no flow arrives.
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(token);
                tick.CancelAfter(_options.LostEventInterval);
                await _ring.WaitForAsync(position, tick.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }

            upstream = await ReportUpstreamLossAsync(upstream, stream, token).ConfigureAwait(false);
            if (_ring.Written <= position)
            {
                continue;
            }

            long skipTo = _ring.Written - lagLimit;
            if (position < skipTo)
            {
                await ReportLostAsync(skipTo - position, stream, token).ConfigureAwait(false);
                position = skipTo;
            }

            int read = _ring.Read(position, buffer, out long first);
            if (first > position)
            {
                // Overwritten between the lag check and the read.
                await ReportLostAsync(first - position, stream, token).ConfigureAwait(false);
            }

            group.Clear();
            for (int i = 0; i < read; i++)
            {
                if (query.Accepts(buffer[i], _context) is { } flow)
                {
                    group.Add(query.Response(flow, _context.NodeName));
                }
            }

            await WriteGroupAsync(stream, group, token).ConfigureAwait(false);
            position = first + read;
        }
    }

    private async Task<UpstreamLoss> ReportUpstreamLossAsync(UpstreamLoss seen, IServerStreamWriter<GetFlowsResponse> stream, CancellationToken token)
    {
        if (_options.UpstreamLoss is null)
        {
            return seen;
        }

        var now = _options.UpstreamLoss();
        if (now.KernelRingBuffer > seen.KernelRingBuffer)
        {
            await WriteLostAsync(LostEventSource.PerfEventRingBuffer, now.KernelRingBuffer - seen.KernelRingBuffer, stream, token).ConfigureAwait(false);
        }

        if (now.EventsQueue > seen.EventsQueue)
        {
            await WriteLostAsync(LostEventSource.ObserverEventsQueue, now.EventsQueue - seen.EventsQueue, stream, token).ConfigureAwait(false);
        }

        return new UpstreamLoss(Math.Max(now.KernelRingBuffer, seen.KernelRingBuffer), Math.Max(now.EventsQueue, seen.EventsQueue));
    }

    private Task ReportLostAsync(long count, IServerStreamWriter<GetFlowsResponse> stream, CancellationToken token)
    {
        Interlocked.Add(ref _subscriberLost, count);
        return WriteLostAsync(LostEventSource.HubbleRingBuffer, count, stream, token);
    }

    private Task WriteLostAsync(LostEventSource source, long count, IServerStreamWriter<GetFlowsResponse> stream, CancellationToken token)
    {
        var now = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        stream.WriteOptions = FlushingWrite;
        return stream.WriteAsync(new GetFlowsResponse
        {
            LostEvents = new LostEvent { Source = source, NumEventsLost = (ulong)count },
            NodeName = _context.NodeName,
            Time = now,
        }, token);
    }

    private int CountSince(DateTimeOffset since)
    {
        long sinceNs = ToUnixNs(since);
        int count = 0;
        ForEachHeld(flow => count += flow.TimestampUnixNs >= sinceNs ? 1 : 0);
        return count;
    }

    private void ForEachHeld(Action<FlowEvent> action)
    {
        var buffer = new FlowEvent[ReadChunk];
        long position = _ring.Oldest;
        long head = _ring.Written;
        while (position < head)
        {
            int read = _ring.Read(position, buffer.AsSpan(0, (int)Math.Min(ReadChunk, head - position)), out long first);
            if (read == 0)
            {
                return;
            }

            for (int i = 0; i < read; i++)
            {
                action(buffer[i]);
            }

            position = first + read;
        }
    }

    private static long ToUnixNs(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
