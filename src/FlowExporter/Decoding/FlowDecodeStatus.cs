namespace Sluice.FlowExporter.Decoding;

/// <summary>Outcome of decoding one kernel flow record.</summary>
public enum FlowDecodeStatus
{
    /// <summary>The record was decoded.</summary>
    Ok = 0,

    /// <summary>Shorter than the record layout.</summary>
    Truncated,

    /// <summary>A record version this build does not understand.</summary>
    UnsupportedVersion,

    /// <summary>A field holds a value outside its domain (event kind, IP version, direction, verdict).</summary>
    InvalidField,
}
