namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_node_flags</c> (bpf/include/config.h).</summary>
[Flags]
public enum DatapathNodeOptions : uint
{
    /// <summary>No optional behaviour.</summary>
    None = 0,

    /// <summary>Emit periodic byte/packet reports for long-lived flows.</summary>
    FlowReports = 1 << 0,
}
