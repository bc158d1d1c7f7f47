namespace Sluice.Bpf.Abi;

/// <summary>
/// Splits an inclusive port range into the fewest aligned power-of-two blocks, so that the range is a set of
/// LPM entries in <c>sluice_policy</c> (each block is a port prefix; see <see cref="PolicyKey.ForPortPrefix"/>).
/// A range of n ports needs at most 2·16 − 2 = 30 blocks.
/// </summary>
public static class PortRangePrefixes
{
    /// <summary>The blocks covering exactly <paramref name="first"/>..<paramref name="last"/>, in ascending order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="last"/> is below <paramref name="first"/>.</exception>
    public static IReadOnlyList<PortPrefix> Split(ushort first, ushort last)
    {
        if (last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, $"Port range end {last} is below its start {first}.");
        }

        var blocks = new List<PortPrefix>();
        int start = first;
        int end = last;
        while (start <= end)
        {
            // The largest block starting at `start` that is aligned (start is a multiple of its size)
            // and does not run past `end`.
            var sizeBits = start == 0 ? 16 : System.Numerics.BitOperations.TrailingZeroCount(start);
            while (sizeBits > 0 && start + (1 << sizeBits) - 1 > end)
            {
                sizeBits--;
            }

            blocks.Add(new PortPrefix((ushort)start, 16 - sizeBits));
            start += 1 << sizeBits;
        }

        return blocks;
    }
}
