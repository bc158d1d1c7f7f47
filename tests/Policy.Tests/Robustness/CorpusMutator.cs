using System.Text;

namespace Sluice.Policy.Tests.Robustness;

/// <summary>
/// Deterministic mutations of policy text, of the kinds real damage and careless edits produce: flipped
/// bytes, truncation, deleted/duplicated/swapped lines, shifted indentation, scalars replaced by values of
/// another type (list, mapping, number, null, huge number, anchors/aliases), and inserted YAML/JSON syntax.
/// The same seed always gives the same mutation, so a failure can be replayed from its seed.
/// </summary>
internal static class CorpusMutator
{
    /// <summary>Replacement values for a scalar: other types, edge values, YAML features.</summary>
    private static readonly string[] TypeSwaps =
    [
        "[]", "{}", "[{}]", "null", "~", "0", "-1", "65536", "99999999999999999999999", "1.5", "true", "\"\"",
        "''", "[a, [b, {c: d}]]", "{a: {b: {c: []}}}", "!!binary aGVsbG8=", "&anchor x", "*anchor", "!custom x",
        "\"\\u0000\"", "'\t'", "0x10", "1e400", "\"80\"", "TCP", "ICMP", "0.0.0.0/0", "::/0", "999.1.1.1/8", "10.0.0.0/33",
        "|\n  block", ">-\n  folded", "[\"k8s:io.kubernetes.pod.namespace\"]", "EchoRequest", "\"*\"",
    ];

    /// <summary>Fragments inserted at random positions.</summary>
    private static readonly string[] Insertions =
    [
        ":", "- ", "[", "]", "{", "}", "\"", "'", "#", "&a ", "*a", "---\n", "...\n", "\t", "\n", "? ", "!", "%YAML 1.2\n",
        "<<: *a\n", ",", "\u00a0", "\ufeff", "\0", "\r", "\\", "key: value\n", "  ", "\u2028",
    ];

    /// <summary>Number of distinct mutation kinds.</summary>
    public const int KindCount = 10;

    /// <summary>Applies one mutation chosen by <paramref name="random"/> and names it.</summary>
    public static (string Text, string Kind) Mutate(string text, Random random)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(random);
        int kind = random.Next(KindCount);
        return kind switch
        {
            0 => (FlipBytes(text, random), "byte-flip"),
            1 => (Truncate(text, random), "truncate"),
            2 => (DeleteLine(text, random), "delete-line"),
            3 => (DuplicateLine(text, random), "duplicate-line"),
            4 => (SwapLines(text, random), "swap-lines"),
            5 => (ShiftIndent(text, random), "shift-indent"),
            6 => (SwapScalar(text, random), "type-swap"),
            7 => (Insert(text, random), "insert"),
            8 => (DuplicateBlock(text, random), "duplicate-block"),
            _ => (Stack(text, random), "stacked"),
        };
    }

    private static string FlipBytes(string text, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length == 0)
        {
            return text;
        }

        int flips = 1 + random.Next(4);
        for (int i = 0; i < flips; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        // Invalid UTF-8 decodes to U+FFFD, as a file read with a UTF-8 reader would.
        return Encoding.UTF8.GetString(bytes);
    }

    private static string Truncate(string text, Random random) => text.Length == 0 ? text : text[..random.Next(text.Length)];

    private static string DeleteLine(string text, Random random)
    {
        var lines = Lines(text);
        if (lines.Count > 0)
        {
            lines.RemoveAt(random.Next(lines.Count));
        }

        return Join(lines);
    }

    private static string DuplicateLine(string text, Random random)
    {
        var lines = Lines(text);
        if (lines.Count > 0)
        {
            int i = random.Next(lines.Count);
            lines.Insert(i, lines[i]);
        }

        return Join(lines);
    }

    private static string SwapLines(string text, Random random)
    {
        var lines = Lines(text);
        if (lines.Count > 1)
        {
            int i = random.Next(lines.Count), j = random.Next(lines.Count);
            (lines[i], lines[j]) = (lines[j], lines[i]);
        }

        return Join(lines);
    }

    private static string ShiftIndent(string text, Random random)
    {
        var lines = Lines(text);
        if (lines.Count > 0)
        {
            int i = random.Next(lines.Count);
            lines[i] = random.Next(2) == 0 ? new string(' ', 1 + random.Next(4)) + lines[i] : lines[i].TrimStart();
        }

        return Join(lines);
    }

    private static string SwapScalar(string text, Random random)
    {
        var lines = Lines(text);
        var candidates = Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains(':', StringComparison.Ordinal) || lines[i].TrimStart().StartsWith('-')).ToList();
        if (candidates.Count == 0)
        {
            return Insert(text, random);
        }

        int line = candidates[random.Next(candidates.Count)];
        string value = TypeSwaps[random.Next(TypeSwaps.Length)];
        string current = lines[line];
        int colon = current.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            colon = current.LastIndexOf(':');
        }

        lines[line] = colon >= 0
            ? current[..(colon + 1)] + " " + value
            : current[..(current.IndexOf('-', StringComparison.Ordinal) + 1)] + " " + value;
        return Join(lines);
    }

    private static string Insert(string text, Random random)
    {
        string fragment = Insertions[random.Next(Insertions.Length)];
        int at = text.Length == 0 ? 0 : random.Next(text.Length + 1);
        return text.Insert(at, fragment);
    }

    private static string DuplicateBlock(string text, Random random)
    {
        var lines = Lines(text);
        if (lines.Count < 2)
        {
            return DuplicateLine(text, random);
        }

        int start = random.Next(lines.Count);
        int length = 1 + random.Next(Math.Min(8, lines.Count - start));
        lines.InsertRange(start + length, lines.GetRange(start, length));
        return Join(lines);
    }

    private static string Stack(string text, Random random)
    {
        int count = 2 + random.Next(4);
        for (int i = 0; i < count; i++)
        {
            int kind = random.Next(KindCount - 1);
            text = kind switch
            {
                0 => FlipBytes(text, random),
                1 => Truncate(text, random),
                2 => DeleteLine(text, random),
                3 => DuplicateLine(text, random),
                4 => SwapLines(text, random),
                5 => ShiftIndent(text, random),
                6 => SwapScalar(text, random),
                7 => Insert(text, random),
                _ => DuplicateBlock(text, random),
            };
        }

        return text;
    }

    private static List<string> Lines(string text) => [.. text.Split('\n')];

    private static string Join(List<string> lines) => string.Join('\n', lines);
}
