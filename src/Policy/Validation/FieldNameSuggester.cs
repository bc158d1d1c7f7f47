namespace Sluice.Policy.Validation;

/// <summary>Finds the known name closest to a misspelled one, for "did you mean" hints.</summary>
internal static class FieldNameSuggester
{
    /// <summary>
    /// The candidate nearest to <paramref name="name"/> (case-insensitive edit distance), when it is close
    /// enough to be a plausible typo: distance at most a third of the length (minimum 2), or one name a
    /// prefix of the candidate (<c>auth</c> → <c>authentication</c>). Null when nothing is close.
    /// </summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var lowered = name.ToUpperInvariant();
        foreach (var candidate in candidates)
        {
            var other = candidate.ToUpperInvariant();
            var distance = Distance(lowered, other);
            if (lowered.Length >= 3 && other.StartsWith(lowered, StringComparison.Ordinal))
            {
                distance = Math.Min(distance, 1);
            }

            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue / 2;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
