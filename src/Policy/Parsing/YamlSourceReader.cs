using Sluice.Policy.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Reads YAML text (one or more documents) into <see cref="SourceNode"/> trees with 1-based line and column
/// on every node, using YamlDotNet's event parser. Syntax errors, duplicate keys, non-string keys and limit
/// violations become diagnostics; nothing is thrown.
/// </summary>
internal sealed class YamlSourceReader
{
    private readonly string fileName;
    private readonly List<Diagnostic> diagnostics;
    private readonly Dictionary<string, SourceNode> anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<SourceNode, long> weights = new(ReferenceEqualityComparer.Instance);
    private Parser parser = null!;
    private long documentWeight;
    private bool documentFailed;
    private SourceLocation lastLocation;

    private YamlSourceReader(string fileName, List<Diagnostic> diagnostics)
    {
        this.fileName = fileName;
        this.diagnostics = diagnostics;
        lastLocation = new SourceLocation(fileName, 1, 1);
    }

    /// <summary>Reads every document of <paramref name="text"/>. Documents completed before a syntax error are kept.</summary>
    public static IReadOnlyList<SourceDocument> Read(string text, string fileName, List<Diagnostic> diagnostics)
    {
        var reader = new YamlSourceReader(fileName, diagnostics);
        return reader.ReadAll(text);
    }

    private List<SourceDocument> ReadAll(string text)
    {
        var documents = new List<SourceDocument>();
        parser = new Parser(new StringReader(text));
        try
        {
            Expect<StreamStart>();
            var index = 0;
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                var start = parser.Consume<DocumentStart>();
                anchors.Clear();
                weights.Clear();
                documentWeight = 0;
                documentFailed = false;
                SourceNode? root = null;
                if (!parser.Accept<DocumentEnd>(out _))
                {
                    root = ReadNode(0);
                }

                parser.Consume<DocumentEnd>();
                var location = root?.Location ?? At(start.Start);
                if (root is SourceScalar { IsNull: true })
                {
                    root = null;
                }

                documents.Add(new SourceDocument(root, index, location, documentFailed));
                index++;
            }
        }
        catch (YamlException ex)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, At(ex.Start), string.Empty,
                "YAML syntax error: " + CleanMessage(ex.Message), DiagnosticCodes.Syntax));
        }
        catch (LimitExceededException ex)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, ex.Location, string.Empty, ex.Message,
                DiagnosticCodes.LimitExceeded));
        }
#pragma warning disable CA1031 // The YAML library is a trust boundary: on some malformed input its scanner throws
        // InvalidOperationException instead of YamlException (e.g. an unterminated flow sequence followed by a
        // mapping). Any such failure is a syntax error of the input, reported where reading stopped.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, lastLocation, string.Empty,
                $"YAML syntax error: the document cannot be read past this point ({ex.GetType().Name})", DiagnosticCodes.Syntax));
        }

        return documents;
    }

    private void Expect<T>()
        where T : ParsingEvent => parser.Consume<T>();

    private SourceNode ReadNode(int depth)
    {
        if (depth > SourceLimits.MaxDepth)
        {
            throw new LimitExceededException(At(parser.Current!.Start),
                $"nesting deeper than {SourceLimits.MaxDepth} levels");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no anchor defined before it");
            }

            AddWeight(weights[target], At(alias.Start));
            return target;
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var node = new SourceScalar(At(scalar.Start), scalar.Value, ClassifyScalar(scalar));
            return Register(scalar.Anchor, node, 1);
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var before = documentWeight;
            var items = new List<SourceNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(depth + 1));
            }

            var node = new SourceSequence(At(sequenceStart.Start), items);
            AddWeight(1, node.Location);
            return Register(sequenceStart.Anchor, node, documentWeight - before);
        }

        var mappingStart = parser.Consume<MappingStart>();
        var mappingBefore = documentWeight;
        var entries = new List<KeyValuePair<SourceScalar, SourceNode>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(depth + 1);
            var valueNode = ReadNode(depth + 1);
            if (keyNode is not SourceScalar key)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, keyNode.Location, string.Empty,
                    $"mapping keys must be strings, found {keyNode.ShapeName}", DiagnosticCodes.WrongType));
                documentFailed = true;
                continue;
            }

            if (!seen.Add(key.Value))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, key.Location, string.Empty,
                    $"duplicate key '{key.Value}'", DiagnosticCodes.DuplicateKey));
                documentFailed = true;
                continue;
            }

            entries.Add(new KeyValuePair<SourceScalar, SourceNode>(key, valueNode));
        }

        var mapping = new SourceMapping(At(mappingStart.Start), entries);
        AddWeight(1, mapping.Location);
        return Register(mappingStart.Anchor, mapping, documentWeight - mappingBefore);
    }

    private SourceNode Register(AnchorName anchor, SourceNode node, long weight)
    {
        if (node is SourceScalar)
        {
            AddWeight(1, node.Location);
        }

        weights[node] = Math.Max(weight, 1);
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private void AddWeight(long weight, SourceLocation location)
    {
        documentWeight += weight;
        if (documentWeight > SourceLimits.MaxExpandedNodes)
        {
            throw new LimitExceededException(location,
                $"document expands to more than {SourceLimits.MaxExpandedNodes} nodes (through aliases)");
        }
    }

    private static ScalarKind ClassifyScalar(Scalar scalar)
    {
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return scalar.Tag.IsEmpty || scalar.Tag.Value != "tag:yaml.org,2002:null" ? ScalarKind.Text : ScalarKind.Null;
        }

        // YAML 1.2 core schema: these plain scalars are null.
        return scalar.Value is "" or "~" or "null" or "Null" or "NULL" ? ScalarKind.Null : ScalarKind.Plain;
    }

    private SourceLocation At(Mark mark)
    {
        lastLocation = new SourceLocation(fileName, (int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));
        return lastLocation;
    }

    private static string CleanMessage(string message)
    {
        // YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (Line: …): "; the location is reported separately.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
    }

    /// <summary>Raised internally when a safety limit is crossed; turned into a diagnostic by <see cref="ReadAll"/>.</summary>
    private sealed class LimitExceededException(SourceLocation location, string message) : Exception(message)
    {
        public SourceLocation Location { get; } = location;
    }
}
