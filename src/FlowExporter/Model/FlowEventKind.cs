namespace Sluice.FlowExporter.Model;

/// <summary>What the datapath reported. The kernel emits flow events, not packet events (DESIGN §2).</summary>
public enum FlowEventKind : byte
{
    /// <summary>Not set or not understood.</summary>
    Unknown = 0,

    /// <summary>First packet of a new connection with its policy verdict (Hubble monitor type 5).</summary>
    PolicyVerdict = 1,

    /// <summary>A TCP flag change (SYN, SYN-ACK, FIN, RST) on a tracked connection (monitor type 4).</summary>
    Trace = 2,

    /// <summary>A dropped packet, rate-limited per flow (monitor type 1).</summary>
    Drop = 3,

    /// <summary>Periodic byte and packet report for a long-lived flow (shown as a trace event).</summary>
    Report = 4,
}
