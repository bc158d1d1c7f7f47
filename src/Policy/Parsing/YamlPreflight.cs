using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Walks a YAML text's event stream (a loop, no recursion) before a caller builds YamlDotNet's recursive
/// node model (<c>YamlStream.Load</c>). That loader recurses once per nesting level, so a hostile file of
/// deeply nested brackets would overflow the stack, which no handler can catch; and YamlDotNet's scanner
/// throws <see cref="InvalidOperationException"/> (not <see cref="YamlException"/>) on some malformed flow
/// collections, e.g. <c>[10.{10.0.2, x]</c>. Shared by every reader of Sluice's own YAML files (the
/// endpoints file, the daemon config); policy files go through the streaming reader, which limits depth
/// itself.
/// </summary>
public static class YamlPreflight
{
    /// <summary>Checks <paramref name="text"/>; never throws for malformed input.</summary>
    /// <param name="text">The whole YAML text.</param>
    /// <param name="maxDepth">Deepest nesting of mappings and sequences accepted.</param>
    public static YamlPreflightResult Check(string text, int maxDepth)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        Mark last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.End;
                if (current is SequenceStart or MappingStart)
                {
                    if (++depth > maxDepth)
                    {
                        return new YamlPreflightResult(YamlPreflightOutcome.TooDeep, current.Start, null);
                    }
                }
                else if (current is SequenceEnd or MappingEnd)
                {
                    depth--;
                }
            }
        }
        catch (YamlException e)
        {
            return new YamlPreflightResult(YamlPreflightOutcome.SyntaxError, e.Start, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Malformed input is a syntax error whatever the library throws; the position is the end of the
            // last well-formed event.
            return new YamlPreflightResult(YamlPreflightOutcome.Malformed, last, e);
        }

        return new YamlPreflightResult(YamlPreflightOutcome.Ok, Mark.Empty, null);
    }
}
