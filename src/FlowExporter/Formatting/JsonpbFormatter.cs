using System.Text;
using Google.Protobuf;
using Sluice.Api.Flow;
using Sluice.Api.Observer;

namespace Sluice.FlowExporter.Formatting;

/// <summary>
/// Writes flows as `hubble observe -o jsonpb` does: one <see cref="GetFlowsResponse"/> per line in proto3
/// JSON with the .proto field names (<c>node_name</c>, not <c>nodeName</c>), enums by name, 64-bit
/// integers as strings, default values left out, no whitespace. Hubble's key order is the .proto
/// declaration order while Google.Protobuf writes field-number order; JSON readers do not depend on it.
/// </summary>
public static class JsonpbFormatter
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    /// <summary>The line for one flow (without the trailing newline).</summary>
    public static string FormatFlow(Flow flow, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(nodeName);
        return FormatMessage(new GetFlowsResponse { Flow = flow, NodeName = nodeName, Time = flow.Time });
    }

    /// <summary>
    /// The line for any message (e.g. a lost-events response). Flows Sluice produces take a direct writer
    /// (<see cref="FastFlowJsonWriter"/>, same bytes at a fraction of the cost); anything else goes through
    /// Google.Protobuf's JsonFormatter.
    /// </summary>
    public static string FormatMessage(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is GetFlowsResponse response && FastFlowJsonWriter.TryFormat(response) is { } line)
        {
            return line;
        }

        return Compact(Formatter.Format(message));
    }

    /// <summary>Removes whitespace outside JSON strings (Google.Protobuf separates tokens with spaces).</summary>
    public static string Compact(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var result = new StringBuilder(json.Length);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    result.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
                result.Append(c);
            }
            else if (!char.IsWhiteSpace(c))
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
