using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Sluice.Api.Flow;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Daemon.Configuration;

/// <summary>
/// Hubble FlowFilter objects and field masks written in YAML (<c>flows.log.allow</c>/<c>deny</c>/
/// <c>fieldMask</c>). A filter is converted to JSON and read with protobuf's JSON parser, so exactly the
/// field names Hubble accepts in its own flow-log filters (proto names or their lowerCamel JSON names) work
/// here, and anything else is an error.
/// </summary>
internal static class FlowFilterYaml
{
    /// <summary>Reads one filter; on failure records an error at the node and returns null.</summary>
    public static FlowFilter? Read(YamlNodeReader reader, YamlNode node, string path)
    {
        if (node is not YamlMappingNode)
        {
            reader.Add(path, node, $"expected a Hubble FlowFilter mapping (e.g. {{source_pod: [shop/]}}), found {YamlNodeReader.Describe(node)}");
            return null;
        }

        string json;
        using (var buffer = new MemoryStream())
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteJson(writer, node);
            }

            json = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        FlowFilter filter;
        try
        {
            filter = JsonParser.Default.Parse<FlowFilter>(json);
        }
        catch (InvalidProtocolBufferException ex)
        {
            reader.Add(path, node, "not a valid Hubble FlowFilter: " + ex.Message);
            return null;
        }
        catch (InvalidJsonException ex)
        {
            reader.Add(path, node, "not a valid Hubble FlowFilter: " + ex.Message);
            return null;
        }

        if (filter.Experimental?.CelExpression.Count > 0)
        {
            reader.Add(path, node, "experimental.cel_expression filters are not supported");
            return null;
        }

        return filter;
    }

    /// <summary>
    /// Checks a field-mask path (<c>source.namespace</c>) against the Flow message: every segment must name a
    /// field, and only message fields may have a further segment.
    /// </summary>
    public static string? CheckFieldMaskPath(string path)
    {
        if (path.Length == 0)
        {
            return "is empty; expected a Flow field path such as source.namespace";
        }

        MessageDescriptor? message = Flow.Descriptor;
        foreach (var segment in path.Split('.'))
        {
            if (message is null)
            {
                return $"'{path}' goes below a field that is not a message";
            }

            var field = message.FindFieldByName(segment);
            if (field is null)
            {
                return $"'{path}': '{segment}' is not a field of {message.FullName}";
            }

            message = field.FieldType == FieldType.Message ? field.MessageType : null;
        }

        return null;
    }

    private static void WriteJson(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    writer.WritePropertyName(key is YamlScalarNode { Value: { } k } ? k : string.Empty);
                    WriteJson(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode seq:
                writer.WriteStartArray();
                foreach (var item in seq.Children)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        string text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
        {
            if (YamlNodeReader.IsNull(scalar))
            {
                writer.WriteNullValue();
                return;
            }

            if (text is "true" or "false")
            {
                writer.WriteBooleanValue(text == "true");
                return;
            }

            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                writer.WriteNumberValue(number);
                return;
            }
        }

        writer.WriteStringValue(text);
    }
}
