using System.Globalization;
using Sluice.Policy.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Daemon.Configuration;

/// <summary>
/// Reads typed values out of a YAML node tree, collecting a <see cref="ConfigError"/> (key path and
/// line:column) for every wrong type, bad value or unknown key instead of stopping at the first. Used by the
/// config and endpoints parsers, which both need "unknown keys and wrong types are errors naming the key and
/// the line" (DESIGN §4.2).
/// </summary>
internal sealed class YamlNodeReader
{
    /// <summary>Deepest nesting accepted; the config and endpoints files need fewer than ten levels.</summary>
    internal const int MaxDepth = 64;

    private readonly List<ConfigError> _errors = [];
    private readonly Dictionary<string, Mark> _locations = new(StringComparer.Ordinal);

    /// <summary>Errors found so far, in document order of discovery.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>Where each key path that was read starts (for errors found after parsing).</summary>
    public IReadOnlyDictionary<string, Mark> Locations => _locations;

    /// <summary>
    /// Loads a single-document YAML text. Syntax errors (including duplicate keys) become errors; an empty
    /// text yields null.
    /// </summary>
    public YamlNode? Load(string text, string what)
    {
        if (!CheckDepth(text))
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            string message = ex.InnerException is null ? ex.Message : ex.Message + ": " + ex.InnerException.Message;
            _errors.Add(new ConfigError("(document)", (int)ex.Start.Line, (int)ex.Start.Column, "invalid YAML: " + message));
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // CheckDepth has already walked the same text; this only guards against the node loader failing
            // where the event parser did not. A malformed file is an error, never a daemon crash.
            _errors.Add(new ConfigError("(document)", 1, 1, $"invalid YAML: {ex.Message}"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            Add("(document)", second, $"the {what} must be a single YAML document; found {stream.Documents.Count}");
            return null;
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>
    /// Rejects nesting deeper than <see cref="MaxDepth"/> and input YamlDotNet's scanner chokes on, before the
    /// recursive node model is built (<see cref="YamlPreflight"/>). A plain syntax error is left to the loader,
    /// which reports it with YamlDotNet's position and message.
    /// </summary>
    private bool CheckDepth(string text)
    {
        var check = YamlPreflight.Check(text, MaxDepth);
        switch (check.Outcome)
        {
            case YamlPreflightOutcome.TooDeep:
                _errors.Add(new ConfigError("(document)", (int)check.Position.Line, (int)check.Position.Column,
                    $"invalid YAML: nesting deeper than {MaxDepth} levels"));
                return false;
            case YamlPreflightOutcome.Malformed:
                _errors.Add(new ConfigError("(document)", (int)check.Position.Line, (int)check.Position.Column,
                    $"invalid YAML after this point: {check.Exception!.Message}"));
                return false;
            default:
                return true;
        }
    }

    /// <summary>Records an error at <paramref name="node"/>.</summary>
    public void Add(string path, YamlNode node, string message) =>
        _errors.Add(new ConfigError(path, (int)node.Start.Line, (int)node.Start.Column, message));

    /// <summary>
    /// Records an error for a key path found after reading (a cross-key check): positioned at the key's value
    /// when it was written, else at its nearest written parent (<c>grpc.tls.key</c> missing → <c>grpc.tls</c>),
    /// else 0:0.
    /// </summary>
    public void Add(string path, string message)
    {
        for (string p = path; p.Length > 0; p = p[..Math.Max(0, p.LastIndexOfAny(['.', '[']))])
        {
            if (_locations.TryGetValue(p, out var mark))
            {
                _errors.Add(new ConfigError(path, (int)mark.Line, (int)mark.Column, message));
                return;
            }
        }

        _errors.Add(new ConfigError(path, 0, 0, message));
    }

    /// <summary>Whether the node is YAML null: an empty value, <c>~</c> or <c>null</c>, unquoted.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
        && (string.IsNullOrEmpty(s.Value) || s.Value is "~" or "null" or "Null" or "NULL");

    /// <summary>
    /// Walks a mapping: each key found in <paramref name="handlers"/> gets its value (null values are skipped,
    /// keeping the default); any other key is an error listing the keys allowed here.
    /// </summary>
    public void ReadMapping(YamlNode node, string path, IReadOnlyDictionary<string, Action<string, YamlNode>> handlers)
    {
        if (IsNull(node))
        {
            return;
        }

        if (node is not YamlMappingNode map)
        {
            Add(DisplayPath(path), node, $"expected a mapping of keys ({string.Join(", ", handlers.Keys)}), found {Describe(node)}");
            return;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Add(DisplayPath(path), keyNode, $"keys must be plain strings, found {Describe(keyNode)}");
                continue;
            }

            string childPath = path.Length == 0 ? key : path + "." + key;
            if (!handlers.TryGetValue(key, out var handler))
            {
                Add(childPath, keyNode, $"unknown key '{key}'; expected one of: {string.Join(", ", handlers.Keys)}");
                continue;
            }

            _locations[childPath] = value.Start;
            if (!IsNull(value))
            {
                handler(childPath, value);
            }
        }
    }

    /// <summary>A scalar as a string; any scalar is accepted, a mapping or sequence is an error.</summary>
    public string? ReadString(YamlNode node, string path)
    {
        if (node is YamlScalarNode s)
        {
            return s.Value ?? string.Empty;
        }

        Add(path, node, $"expected a string, found {Describe(node)}");
        return null;
    }

    /// <summary><c>true</c> or <c>false</c>, unquoted (a quoted "true" is a string, as YAML says).</summary>
    public bool? ReadBool(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        Add(path, node, $"expected true or false, found {Describe(node)}");
        return null;
    }

    /// <summary>An unquoted integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int? ReadInt(YamlNode node, string path, int min, int max)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } text }
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            if (value < min || value > max)
            {
                Add(path, node, $"{value} is out of range; expected {min} to {max}");
                return null;
            }

            return (int)value;
        }

        Add(path, node, $"expected an integer, found {Describe(node)}");
        return null;
    }

    /// <summary>An unquoted number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double? ReadDouble(YamlNode node, string path, double min, double max)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value))
        {
            if (value < min || value > max)
            {
                Add(path, node, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range; expected {min} to {max}"));
                return null;
            }

            return value;
        }

        Add(path, node, $"expected a number, found {Describe(node)}");
        return null;
    }

    /// <summary>A duration such as <c>5s</c> (see <see cref="DurationText"/>).</summary>
    public TimeSpan? ReadDuration(YamlNode node, string path)
    {
        if (node is not YamlScalarNode { Value: { } text })
        {
            Add(path, node, $"expected a duration such as 5s, found {Describe(node)}");
            return null;
        }

        if (!DurationText.TryParse(text, out var duration, out var error))
        {
            Add(path, node, error);
            return null;
        }

        return duration;
    }

    /// <summary>One of <paramref name="names"/> (case-sensitive, as written in the docs).</summary>
    public T? ReadEnum<T>(YamlNode node, string path, IReadOnlyDictionary<string, T> names)
        where T : struct
    {
        if (node is YamlScalarNode { Value: { } text } && names.TryGetValue(text, out var value))
        {
            return value;
        }

        Add(path, node, $"expected one of {string.Join(", ", names.Keys)}, found {Describe(node)}");
        return null;
    }

    /// <summary>A sequence; each item is handed to <paramref name="item"/> with its indexed path.</summary>
    public void ReadSequence(YamlNode node, string path, Action<string, YamlNode> item)
    {
        if (node is not YamlSequenceNode seq)
        {
            Add(path, node, $"expected a list, found {Describe(node)}");
            return;
        }

        for (int i = 0; i < seq.Children.Count; i++)
        {
            string itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            _locations[itemPath] = seq.Children[i].Start;
            item(itemPath, seq.Children[i]);
        }
    }

    /// <summary>A list of strings.</summary>
    public List<string>? ReadStringList(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode)
        {
            Add(path, node, $"expected a list of strings, found {Describe(node)}");
            return null;
        }

        var list = new List<string>();
        bool ok = true;
        ReadSequence(node, path, (itemPath, item) =>
        {
            var s = ReadString(item, itemPath);
            if (s is null)
            {
                ok = false;
            }
            else
            {
                list.Add(s);
            }
        });
        return ok ? list : null;
    }

    /// <summary>A short description of a node for error messages: <c>a list</c>, <c>'abc'</c>.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } s => $"the quoted string '{s.Value}'",
        YamlScalarNode s when IsNull(s) => "an empty value",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };

    private static string DisplayPath(string path) => path.Length == 0 ? "(root)" : path;
}
