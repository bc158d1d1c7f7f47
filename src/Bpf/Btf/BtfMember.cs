namespace Sluice.Bpf;

/// <summary>One member of a BTF struct.</summary>
/// <param name="Name">The member name (empty for an anonymous member).</param>
/// <param name="BitOffset">Offset from the start of the struct, in bits.</param>
/// <param name="ByteSize">Size of the member's type in bytes (-1 if BTF cannot resolve it).</param>
/// <param name="BitfieldSize">Width in bits for a bitfield member, 0 otherwise.</param>
public sealed record BtfMember(string Name, uint BitOffset, int ByteSize, uint BitfieldSize = 0)
{
    /// <summary>Offset in bytes (BitOffset / 8).</summary>
    public int ByteOffset => (int)(BitOffset / 8);
}
