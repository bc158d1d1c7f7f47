namespace Sluice.Policy.Engine;

/// <summary>The ordered set of an endpoint's selections that hold one identity, usable as a dictionary key.</summary>
internal readonly struct Membership : IEquatable<Membership>
{
    private readonly List<int> _indexes;
    private readonly int _hash;

    public Membership(List<int> indexes)
    {
        _indexes = indexes;
        var hash = default(HashCode);
        foreach (var i in indexes)
        {
            hash.Add(i);
        }

        _hash = hash.ToHashCode();
    }

    public bool Equals(Membership other) => _hash == other._hash && _indexes.SequenceEqual(other._indexes);

    public override bool Equals(object? obj) => obj is Membership other && Equals(other);

    public override int GetHashCode() => _hash;
}
