namespace Sluice.FlowExporter.Model;

/// <summary>Whether a packet travelled in the reply direction of its connection.</summary>
/// <remarks>Mirrors Hubble's <c>is_reply</c> BoolValue, which is absent when the direction is unknown.</remarks>
public enum ReplyState : byte
{
    /// <summary>The datapath could not tell (e.g. drops before conntrack).</summary>
    Unknown = 0,

    /// <summary>Packet in the initiating direction.</summary>
    Request = 1,

    /// <summary>Packet in the reply direction.</summary>
    Reply = 2,
}
