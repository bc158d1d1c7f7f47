namespace Sluice.FlowExporter.Filtering;

/// <summary>
/// A Kubernetes-style label selector as Hubble's label filters accept it: comma-separated requirements
/// (all must hold) of the forms <c>key</c>, <c>!key</c>, <c>key=value</c>, <c>key==value</c>,
/// <c>key!=value</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>. A key may carry a label source
/// (<c>k8s:app</c>, <c>reserved:world</c>); without one, or with <c>any:</c>, it matches labels of every source.
/// Flow labels are strings of the form <c>source:key=value</c>.
/// </summary>
public sealed class LabelSelector
{
    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    private enum Operator
    {
        Exists,
        NotExists,
        Equals,
        NotEquals,
        In,
        NotIn,
    }

    /// <summary>Parses a selector; throws <see cref="FlowFilterException"/> on bad syntax.</summary>
    public static LabelSelector Parse(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var requirements = new List<Requirement>();
        foreach (string part in SplitTopLevel(selector))
        {
            string text = part.Trim();
            if (text.Length == 0)
            {
                throw new FlowFilterException($"label selector \"{selector}\": empty requirement");
            }

            requirements.Add(ParseRequirement(text, selector));
        }

        if (requirements.Count == 0)
        {
            throw new FlowFilterException("label selector is empty");
        }

        return new LabelSelector([.. requirements]);
    }

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    private static Requirement ParseRequirement(string text, string selector)
    {
        if (text.StartsWith('!'))
        {
            return new Requirement(ParseKey(text[1..].Trim(), selector), Operator.NotExists, []);
        }

        int notIn = text.IndexOf(" notin ", StringComparison.Ordinal);
        int inIndex = text.IndexOf(" in ", StringComparison.Ordinal);
        if (notIn > 0 || inIndex > 0)
        {
            bool negate = notIn > 0;
            int at = negate ? notIn : inIndex;
            string rest = text[(at + (negate ? 7 : 4))..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw new FlowFilterException($"label selector \"{selector}\": set must be in parentheses: \"{text}\"");
            }

            string[] values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries);
            return new Requirement(ParseKey(text[..at].Trim(), selector), negate ? Operator.NotIn : Operator.In, values);
        }

        int notEquals = text.IndexOf("!=", StringComparison.Ordinal);
        if (notEquals > 0)
        {
            return new Requirement(ParseKey(text[..notEquals].Trim(), selector), Operator.NotEquals, [text[(notEquals + 2)..].Trim()]);
        }

        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0)
        {
            int valueStart = equals + 1 < text.Length && text[equals + 1] == '=' ? equals + 2 : equals + 1;
            return new Requirement(ParseKey(text[..equals].Trim(), selector), Operator.Equals, [text[valueStart..].Trim()]);
        }

        return new Requirement(ParseKey(text, selector), Operator.Exists, []);
    }

    private static LabelKey ParseKey(string key, string selector)
    {
        if (key.Length == 0 || key.Any(char.IsWhiteSpace) || key.IndexOfAny(['(', ')', '=', '!']) >= 0)
        {
            throw new FlowFilterException($"label selector \"{selector}\": invalid key \"{key}\"");
        }

        int colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return new LabelKey(null, key);
        }

        string source = key[..colon];
        return new LabelKey(source == "any" ? null : source, key[(colon + 1)..]);
    }

    private static List<string> SplitTopLevel(string selector)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(selector[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FlowFilterException($"label selector \"{selector}\": unbalanced parentheses");
        }

        parts.Add(selector[start..]);
        return parts;
    }

    private readonly record struct LabelKey(string? Source, string Key);

    private sealed record Requirement(LabelKey Key, Operator Operator, string[] Values)
    {
        public bool Matches(IReadOnlyList<string> labels)
        {
            string? value = Find(labels);
            return Operator switch
            {
                Operator.Exists => value is not null,
                Operator.NotExists => value is null,
                Operator.Equals => value is not null && value == Values[0],
                Operator.NotEquals => value is null || value != Values[0],
                Operator.In => value is not null && Values.Contains(value),
                Operator.NotIn => value is null || !Values.Contains(value),
                _ => false,
            };
        }

        // Returns the value of the first label whose source and key match, or null.
        private string? Find(IReadOnlyList<string> labels)
        {
            foreach (string label in labels)
            {
                int colon = label.IndexOf(':', StringComparison.Ordinal);
                ReadOnlySpan<char> source = colon < 0 ? [] : label.AsSpan(0, colon);
                ReadOnlySpan<char> rest = label.AsSpan(colon + 1);
                int equals = rest.IndexOf('=');
                ReadOnlySpan<char> key = equals < 0 ? rest : rest[..equals];
                if (!key.SequenceEqual(Key.Key) || (Key.Source is not null && !source.SequenceEqual(Key.Source)))
                {
                    continue;
                }

                return equals < 0 ? string.Empty : rest[(equals + 1)..].ToString();
            }

            return null;
        }
    }
}
