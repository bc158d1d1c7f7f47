namespace Sluice.Bpf;

/// <summary>Which clsact hook of an interface a tc program runs on.</summary>
public enum TcDirection
{
    /// <summary>Packets the interface receives (BPF_TC_INGRESS).</summary>
    Ingress,

    /// <summary>Packets the interface transmits (BPF_TC_EGRESS).</summary>
    Egress,
}
