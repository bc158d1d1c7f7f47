using Sluice.Bpf.Abi;

namespace Sluice.Bpf.Tests.Support;

/// <summary>A ring-buffer sink that decodes every record into a list (test use: allocation is fine here).</summary>
public sealed class FlowRecordCollector : IRingBufferSink
{
    private readonly List<FlowRecord> records = [];

    /// <summary>Records received so far, in ring order.</summary>
    public IReadOnlyList<FlowRecord> Records => records;

    /// <inheritdoc />
    public void OnRecord(ReadOnlySpan<byte> record) => records.Add(FlowRecord.Read(record));

    /// <summary>Forgets the records received so far.</summary>
    public void Clear() => records.Clear();
}
