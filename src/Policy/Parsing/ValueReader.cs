using System.Globalization;
using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Typed reads of scalar and list values. A null or absent value reads as null; a value of the wrong shape
/// is reported and also reads as null, so callers never see malformed data.
/// </summary>
internal static class ValueReader
{
    /// <summary>Reads a string. Any scalar is accepted as its text (an unquoted <c>80</c> is the string "80").</summary>
    public static string? String(SourceNode? node, string path, ParseContext context)
    {
        switch (node)
        {
            case null:
            case SourceScalar { IsNull: true }:
                return null;
            case SourceScalar scalar:
                return scalar.Value;
            default:
                context.Error(node.Location, path, DiagnosticCodes.WrongType, $"expected a string, found {node.ShapeName}");
                return null;
        }
    }

    /// <summary>Reads a boolean: unquoted true/false (any case) or JSON true/false.</summary>
    public static bool? Bool(SourceNode? node, string path, ParseContext context)
    {
        switch (node)
        {
            case null:
            case SourceScalar { IsNull: true }:
                return null;
            case SourceScalar { Kind: ScalarKind.Plain or ScalarKind.Boolean } scalar
                when bool.TryParse(scalar.Value, out var value):
                return value;
            default:
                context.Error(node.Location, path, DiagnosticCodes.WrongType, $"expected true or false, found {Describe(node)}");
                return null;
        }
    }

    /// <summary>Reads an integer in [<paramref name="min"/>, <paramref name="max"/>]; quoted text is a wrong type.</summary>
    public static long? Integer(SourceNode? node, string path, ParseContext context, long min, long max)
    {
        switch (node)
        {
            case null:
            case SourceScalar { IsNull: true }:
                return null;
            case SourceScalar { Kind: ScalarKind.Plain or ScalarKind.Number } scalar:
                if (!long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    context.Error(node.Location, path, DiagnosticCodes.WrongType, $"expected an integer, found '{scalar.Value}'");
                    return null;
                }

                if (value < min || value > max)
                {
                    context.Error(node.Location, path, DiagnosticCodes.InvalidValue, $"{value} is outside {min}..{max}");
                    return null;
                }

                return value;
            default:
                context.Error(node.Location, path, DiagnosticCodes.WrongType, $"expected an integer, found {Describe(node)}");
                return null;
        }
    }

    /// <summary>
    /// Reads a list, applying <paramref name="readItem"/> to each item with its path (<c>path[i]</c>).
    /// Returns null when absent or null, an empty list for <c>[]</c>; items that read as null are dropped
    /// (they were reported).
    /// </summary>
    public static List<T>? List<T>(SourceNode? node, string path, ParseContext context, Func<SourceNode, string, T?> readItem)
        where T : class
    {
        switch (node)
        {
            case null:
            case SourceScalar { IsNull: true }:
                return null;
            case SourceSequence sequence:
                var result = new List<T>(sequence.Items.Count);
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (readItem(sequence.Items[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]") is { } item)
                    {
                        result.Add(item);
                    }
                }

                return result;
            default:
                context.Error(node.Location, path, DiagnosticCodes.WrongType, $"expected a list, found {Describe(node)}");
                return null;
        }
    }

    /// <summary>Reads a list of strings.</summary>
    public static List<string>? StringList(SourceNode? node, string path, ParseContext context) =>
        List(node, path, context, (item, itemPath) => ItemString(item, itemPath, context));

    /// <summary>Reads a list item that must be a non-null string.</summary>
    public static string? ItemString(SourceNode item, string path, ParseContext context)
    {
        if (item is SourceScalar { IsNull: true })
        {
            context.Error(item.Location, path, DiagnosticCodes.WrongType, "expected a string, found null");
            return null;
        }

        return String(item, path, context);
    }

    /// <summary>Reads a mapping of string to string (label maps); null values are errors.</summary>
    public static Dictionary<string, string>? StringMap(SourceNode? node, string path, ParseContext context)
    {
        switch (node)
        {
            case null:
            case SourceScalar { IsNull: true }:
                return null;
            case SourceMapping mapping:
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Entries)
                {
                    var entryPath = path + "[" + key.Value + "]";
                    if (value is SourceScalar { IsNull: true })
                    {
                        context.Error(value.Location, entryPath, DiagnosticCodes.WrongType,
                            $"value of '{key.Value}' is null; write '' for an empty value");
                        continue;
                    }

                    if (String(value, entryPath, context) is { } text)
                    {
                        result[key.Value] = text;
                    }
                }

                return result;
            default:
                context.Error(node.Location, path, DiagnosticCodes.WrongType, $"expected a mapping of strings, found {Describe(node)}");
                return null;
        }
    }

    /// <summary>Describes a node for messages, quoting short scalars.</summary>
    public static string Describe(SourceNode node) =>
        node is SourceScalar { IsNull: false } scalar && scalar.Value.Length <= 40
            ? $"{scalar.ShapeName} '{scalar.Value}'"
            : node.ShapeName;
}
