namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_event_type</c> (bpf/include/flow.h).</summary>
public enum FlowEventType : byte
{
    /// <summary>Not set.</summary>
    Unknown = 0,

    /// <summary>The first packet of a flow was forwarded (verdict forwarded or audit).</summary>
    FlowNew = 1,

    /// <summary>A packet was dropped (rate-limited per flow).</summary>
    Drop = 2,

    /// <summary>SYN, FIN or RST seen for the first time in one direction of the flow.</summary>
    TcpFlags = 3,

    /// <summary>Periodic byte/packet counters of a long-lived flow.</summary>
    Report = 4,

    /// <summary>An established flow was re-checked under a new policy revision and its verdict changed.</summary>
    PolicyChange = 5,
}
