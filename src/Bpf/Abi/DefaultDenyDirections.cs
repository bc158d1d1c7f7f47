namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>enum sluice_enforce_flags</c>: the directions in default-deny.</summary>
[Flags]
public enum DefaultDenyDirections : byte
{
    /// <summary>No default-deny: traffic matching no entry is forwarded.</summary>
    None = 0,

    /// <summary>Traffic to the endpoint matching no allow entry is dropped (reason 133).</summary>
    Ingress = 1 << 0,

    /// <summary>Traffic from the endpoint matching no allow entry is dropped (reason 133).</summary>
    Egress = 1 << 1,
}
