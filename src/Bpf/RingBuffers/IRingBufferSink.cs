namespace Sluice.Bpf;

/// <summary>Receives ring-buffer records. Called on the reader's thread, one record at a time, in ring order.</summary>
public interface IRingBufferSink
{
    /// <summary>
    /// Handles one record. <paramref name="record"/> points into the shared ring and is valid only during
    /// the call: copy what must outlive it. Must not block for long (the producer loses records while the
    /// ring is full). An exception stops the drain and surfaces from Poll/Drain; the record counts as consumed.
    /// </summary>
    void OnRecord(ReadOnlySpan<byte> record);
}
