using System.Text;
using System.Text.Json;
using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Reads strict JSON (RFC 8259: no comments, no trailing commas) into a <see cref="SourceNode"/> tree with
/// 1-based line and character column on every node. JSON files go through this reader rather than the YAML
/// one so that valid JSON is never rejected for YAML's indentation rules (tabs are legal JSON whitespace)
/// and error positions are JSON's own.
/// </summary>
internal static class JsonSourceReader
{
    /// <summary>Reads the single JSON value of <paramref name="text"/>; on a syntax error returns null and adds a diagnostic.</summary>
    public static SourceDocument? Read(string text, string fileName, List<Diagnostic> diagnostics)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new LineMap(bytes, fileName);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = SourceLimits.MaxDepth,
        });
        var hasErrors = false;
        try
        {
            // Containers under construction; a frame collects items (lists) or key/value pairs (objects).
            var stack = new Stack<Frame>();
            SourceNode? root = null;
            SourceScalar? pendingKey = null;
            while (reader.Read())
            {
                var location = lines.At(reader.TokenStartIndex);
                SourceNode? completed = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        stack.Push(new Frame(location, reader.TokenType == JsonTokenType.StartObject, pendingKey));
                        pendingKey = null;
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        var frame = stack.Pop();
                        completed = frame.IsObject
                            ? new SourceMapping(frame.Location, frame.Entries)
                            : new SourceSequence(frame.Location, frame.Items);
                        pendingKey = frame.Key;
                        break;
                    case JsonTokenType.PropertyName:
                        pendingKey = new SourceScalar(location, reader.GetString()!, ScalarKind.Text);
                        continue;
                    case JsonTokenType.String:
                        completed = new SourceScalar(location, reader.GetString()!, ScalarKind.Text);
                        break;
                    case JsonTokenType.Number:
                        completed = new SourceScalar(location, Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number);
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        completed = new SourceScalar(location, reader.TokenType == JsonTokenType.True ? "true" : "false", ScalarKind.Boolean);
                        break;
                    case JsonTokenType.Null:
                        completed = new SourceScalar(location, "null", ScalarKind.Null);
                        break;
                    default:
                        continue;
                }

                if (stack.Count == 0)
                {
                    root = completed;
                    continue;
                }

                var parent = stack.Peek();
                if (!parent.IsObject)
                {
                    parent.Items.Add(completed);
                }
                else if (!parent.Keys.Add(pendingKey!.Value))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, pendingKey.Location, string.Empty,
                        $"duplicate key '{pendingKey.Value}'", DiagnosticCodes.DuplicateKey));
                    hasErrors = true;
                }
                else
                {
                    parent.Entries.Add(new KeyValuePair<SourceScalar, SourceNode>(pendingKey, completed));
                }

                pendingKey = null;
            }

            if (root is SourceScalar { IsNull: true })
            {
                root = null;
            }

            return new SourceDocument(root, 0, root?.Location ?? new SourceLocation(fileName, 1, 1), hasErrors);
        }
        catch (JsonException ex)
        {
            var location = ex.LineNumber is { } line && ex.BytePositionInLine is { } column
                ? lines.AtLineByte((int)line, (int)column)
                : new SourceLocation(fileName, 1, 1);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, location, string.Empty,
                "JSON syntax error: " + CleanMessage(ex.Message), DiagnosticCodes.Syntax));
            return null;
        }
    }

    private static string CleanMessage(string message)
    {
        // System.Text.Json appends " LineNumber: n | BytePositionInLine: m." (0-based); the location is reported separately.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;

        // The reader's own wording suggests changing its options, which is advice for programmers, not for
        // someone fixing a policy file.
        return text.Contains("trailing comma", StringComparison.Ordinal)
            ? "a trailing comma is not allowed in JSON"
            : text.Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal);
    }

    private sealed class Frame(SourceLocation location, bool isObject, SourceScalar? key)
    {
        public SourceLocation Location { get; } = location;

        public bool IsObject { get; } = isObject;

        /// <summary>The key this container is the value of, restored when the container closes.</summary>
        public SourceScalar? Key { get; } = key;

        public List<SourceNode> Items { get; } = [];

        public List<KeyValuePair<SourceScalar, SourceNode>> Entries { get; } = [];

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Turns UTF-8 byte offsets into 1-based line and character column.</summary>
    private sealed class LineMap
    {
        private readonly byte[] bytes;
        private readonly string fileName;
        private readonly List<int> lineStarts = [0];
        private int cachedLine = -1;
        private int cachedBytes;
        private int cachedChars;

        public LineMap(byte[] bytes, string fileName)
        {
            this.bytes = bytes;
            this.fileName = fileName;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    lineStarts.Add(i + 1);
                }
            }
        }

        public SourceLocation At(long offset)
        {
            var index = lineStarts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            return AtLineByte(line, (int)offset - lineStarts[line]);
        }

        public SourceLocation AtLineByte(int zeroBasedLine, int byteInLine)
        {
            var line = Math.Clamp(zeroBasedLine, 0, lineStarts.Count - 1);
            var start = lineStarts[line];
            var length = Math.Clamp(byteInLine, 0, bytes.Length - start);

            // Tokens arrive in order, so the character count continues from the previous token on the same
            // line; counting from the line start each time would be quadratic on one-line JSON files.
            int chars;
            if (line == cachedLine && length >= cachedBytes)
            {
                chars = cachedChars + Encoding.UTF8.GetCharCount(bytes, start + cachedBytes, length - cachedBytes);
            }
            else
            {
                chars = Encoding.UTF8.GetCharCount(bytes, start, length);
            }

            (cachedLine, cachedBytes, cachedChars) = (line, length, chars);
            return new SourceLocation(fileName, line + 1, chars + 1);
        }
    }
}
