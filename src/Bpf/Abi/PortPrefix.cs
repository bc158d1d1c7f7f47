namespace Sluice.Bpf.Abi;

/// <summary>
/// A block of ports sharing their top <see cref="PrefixBits"/> bits: <see cref="Port"/> .. <see cref="Port"/> +
/// 2^(16 − <see cref="PrefixBits"/>) − 1. One LPM entry of a port range.
/// </summary>
/// <param name="Port">First port of the block (its low 16 − PrefixBits bits are zero).</param>
/// <param name="PrefixBits">Number of leading port bits fixed, 0..16 (16 = a single port).</param>
public readonly record struct PortPrefix(ushort Port, int PrefixBits)
{
    /// <summary>Last port of the block.</summary>
    public ushort LastPort => (ushort)(Port + ((1 << (16 - PrefixBits)) - 1));
}
