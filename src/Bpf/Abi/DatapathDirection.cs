namespace Sluice.Bpf.Abi;

/// <summary>
/// Mirror of <c>enum sluice_direction</c>, from the endpoint's point of view; the numbers are Hubble's
/// <c>TrafficDirection</c> values.
/// </summary>
public enum DatapathDirection : byte
{
    /// <summary>Not set.</summary>
    Unknown = 0,

    /// <summary>Towards the endpoint (tc egress of its host-side interface).</summary>
    Ingress = 1,

    /// <summary>From the endpoint (tc ingress of its host-side interface).</summary>
    Egress = 2,
}
