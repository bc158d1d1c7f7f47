using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Writes a tree of ordered mappings (<see cref="YamlMap"/>), lists and scalars as block-style YAML. Every
/// string and key is double-quoted with JSON escapes, which YAML reads back unchanged, so no value can
/// be mistaken for a number, boolean, null or syntax.
/// </summary>
internal sealed class YamlEmitter
{
    // The default encoder escapes everything outside printable ASCII, so line-break look-alikes (U+0085,
    // U+2028) and BOMs never appear raw in the output.
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.Default };
    private readonly StringBuilder output = new();

    /// <summary>Emits <paramref name="root"/> (a mapping or a list) as a YAML document.</summary>
    public static string Emit(object root)
    {
        var emitter = new YamlEmitter();
        switch (root)
        {
            case YamlMap map when map.Count > 0:
                emitter.WriteMapping(map, 0, firstInline: false);
                break;
            case List<object> list when list.Count > 0:
                emitter.WriteList(list, 0);
                break;
            default:
                emitter.output.Append(Scalar(root)).Append('\n');
                break;
        }

        return emitter.output.ToString();
    }

    private void WriteMapping(YamlMap map, int indent, bool firstInline)
    {
        for (var i = 0; i < map.Count; i++)
        {
            var (key, value) = map[i];
            if (!(i == 0 && firstInline))
            {
                output.Append(' ', indent);
            }

            output.Append(Quote(key)).Append(':');
            switch (value)
            {
                case YamlMap { Count: > 0 } child:
                    output.Append('\n');
                    WriteMapping(child, indent + 2, firstInline: false);
                    break;
                case List<object> { Count: > 0 } list:
                    output.Append('\n');
                    WriteList(list, indent + 2);
                    break;
                default:
                    output.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }
    }

    private void WriteList(List<object> list, int indent)
    {
        foreach (var item in list)
        {
            output.Append(' ', indent).Append('-');
            switch (item)
            {
                case YamlMap { Count: > 0 } map:
                    output.Append(' ');
                    WriteMapping(map, indent + 2, firstInline: true);
                    break;
                case List<object> { Count: > 0 } nested:
                    output.Append('\n');
                    WriteList(nested, indent + 2);
                    break;
                default:
                    output.Append(' ').Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        YamlMap => "{}",
        List<object> => "[]",
        bool b => b ? "true" : "false",
        byte n => n.ToString(CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        long n => n.ToString(CultureInfo.InvariantCulture),
        string s => Quote(s),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    private static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);
}
