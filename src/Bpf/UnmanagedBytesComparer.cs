using System.Runtime.InteropServices;

namespace Sluice.Bpf;

/// <summary>
/// Compares unmanaged values by their bytes. Map keys are plain memory to the kernel, so byte equality is
/// the equality that matters; it also works for key structs holding <c>[InlineArray]</c> fields, whose
/// default <see cref="ValueType.Equals(object)"/> and <see cref="ValueType.GetHashCode"/> throw
/// <see cref="NotSupportedException"/>.
/// </summary>
/// <typeparam name="T">An unmanaged key or value type.</typeparam>
internal sealed class UnmanagedBytesComparer<T> : IEqualityComparer<T>
    where T : unmanaged
{
    /// <summary>The shared instance (the comparer has no state).</summary>
    public static readonly UnmanagedBytesComparer<T> Instance = new();

    private UnmanagedBytesComparer()
    {
    }

    /// <inheritdoc />
    public bool Equals(T x, T y) =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in x)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in y)));

    /// <inheritdoc />
    public int GetHashCode(T obj)
    {
        var hash = default(HashCode);
        hash.AddBytes(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in obj)));
        return hash.ToHashCode();
    }
}
