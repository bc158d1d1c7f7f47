using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>struct sluice_config</c> (bpf/include/config.h), the whole <c>.rodata</c> section.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct DatapathConfig
{
    /// <summary>sizeof(struct sluice_config).</summary>
    public const int Size = 48;

    /// <summary>Period of flow reports for long-lived flows.</summary>
    public ulong AggregationIntervalNs;

    /// <summary>An open TCP flow idle this long is forgotten.</summary>
    public ulong TcpIdleNs;

    /// <summary>How long an entry lives after FIN or RST.</summary>
    public ulong TcpCloseNs;

    /// <summary>UDP and SCTP idle timeout.</summary>
    public ulong UdpIdleNs;

    /// <summary>ICMP and other protocols' idle timeout.</summary>
    public ulong IcmpIdleNs;

    /// <summary>Drop events emitted per flow per second; the rest are counted as suppressed.</summary>
    public uint DropEventsPerSecond;

    /// <summary>Bit set of <see cref="DatapathNodeOptions"/>.</summary>
    public DatapathNodeOptions NodeFlags;

    /// <summary>The defaults compiled into the object (the daemon's documented defaults).</summary>
    public static DatapathConfig Default => new()
    {
        AggregationIntervalNs = 5 * NsPerSecond,
        TcpIdleNs = 6 * 3600 * NsPerSecond,
        TcpCloseNs = 10 * NsPerSecond,
        UdpIdleNs = 60 * NsPerSecond,
        IcmpIdleNs = 60 * NsPerSecond,
        DropEventsPerSecond = 1,
        NodeFlags = DatapathNodeOptions.FlowReports,
    };

    private const ulong NsPerSecond = 1_000_000_000;
}
