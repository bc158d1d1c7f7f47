using Sluice.FlowExporter.Model;

namespace Sluice.FlowExporter.Sinks;

/// <summary>
/// The in-memory flow ring (<c>flows.ringCapacity</c>) behind <c>observe --last N</c> and follow. Events
/// are stored by value and addressed by position (0 = first event ever written); a position older than
/// <c>Written - Capacity</c> has been overwritten. One writer (its sink runner); any number of readers,
/// which copy out under a short lock so they never see a half-written event.
/// </summary>
public sealed class FlowRing : IFlowSink
{
    private readonly FlowEvent[] _buffer;
    private readonly Lock _lock = new();
    private long _written;
    private TaskCompletionSource _writtenSignal = NewSignal();

    /// <summary>Creates a ring.</summary>
    public FlowRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _buffer = new FlowEvent[capacity];
    }

    /// <inheritdoc/>
    public string Name => "ring";

    /// <summary>Maximum events kept.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Events written since start; also the position the next event will get.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Events currently held.</summary>
    public int Count => (int)Math.Min(Written, _buffer.Length);

    /// <summary>Position of the oldest event still held.</summary>
    public long Oldest => Math.Max(0, Written - _buffer.Length);

    /// <inheritdoc/>
    public void Consume(ReadOnlySpan<FlowEvent> flows)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            foreach (ref readonly var flow in flows)
            {
                _buffer[_written % _buffer.Length] = flow;
                _written++;
            }

            signal = _writtenSignal;
            _writtenSignal = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <inheritdoc/>
    public void Complete()
    {
    }

    /// <summary>
    /// Copies events starting at <paramref name="position"/> into <paramref name="destination"/>. When
    /// <paramref name="position"/> has been overwritten, copying starts at the oldest event held and
    /// <paramref name="first"/> says where. Returns the number copied.
    /// </summary>
    public int Read(long position, Span<FlowEvent> destination, out long first)
    {
        lock (_lock)
        {
            long oldest = Math.Max(0, _written - _buffer.Length);
            first = Math.Max(position, oldest);
            int count = (int)Math.Clamp(_written - first, 0, destination.Length);
            for (int i = 0; i < count; i++)
            {
                destination[i] = _buffer[(first + i) % _buffer.Length];
            }

            return count;
        }
    }

    /// <summary>Completes when an event at or after <paramref name="position"/> exists.</summary>
    public Task WaitForAsync(long position, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_lock)
        {
            if (_written > position)
            {
                return Task.CompletedTask;
            }

            signal = _writtenSignal.Task;
        }

        return signal.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
