namespace Sluice.Bpf;

/// <summary>A struct as described by BTF: its size and its members in declaration order.</summary>
/// <param name="Name">The struct's name.</param>
/// <param name="Size">sizeof(struct), in bytes.</param>
/// <param name="Members">The members in declaration order.</param>
public sealed record BtfStructLayout(string Name, int Size, IReadOnlyList<BtfMember> Members)
{
    /// <summary>The member called <paramref name="memberName"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such member; the message lists the members.</exception>
    public BtfMember Member(string memberName) =>
        Members.FirstOrDefault(m => m.Name == memberName)
        ?? throw new KeyNotFoundException($"struct {Name} has no member '{memberName}'; members: {string.Join(", ", Members.Select(m => m.Name))}.");
}
