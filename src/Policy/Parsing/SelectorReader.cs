using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>Reads label selectors (<c>matchLabels</c>, <c>matchExpressions</c>) and checks them as Kubernetes does.</summary>
internal static class SelectorReader
{
    private static readonly string[] SelectorFields = ["matchLabels", "matchExpressions"];
    private static readonly string[] RequirementFields = ["key", "operator", "values"];

    /// <summary>Reads a selector; null when absent or malformed.</summary>
    public static EndpointSelector? Read(SourceNode? node, string path, ParseContext context)
    {
        // A common slip: labels indented at the level of an empty `matchLabels:` instead of below it.
        var emptyMatchLabels = node is SourceMapping mapping
            && mapping.Entries.Any(e => e.Key.Value == "matchLabels" && e.Value is SourceScalar { IsNull: true });
        var fields = MappingFields.Open(node, path, context, "a label selector", SelectorFields,
            name => emptyMatchLabels ? $"'matchLabels' is empty here; indent '{name}' under it to make it a label" : null);
        if (fields is null)
        {
            return null;
        }

        var labels = ValueReader.StringMap(fields["matchLabels"], fields.PathOf("matchLabels"), context) ?? [];
        foreach (var key in labels.Keys.Where(k => k.Length == 0))
        {
            context.Error(fields.KeyLocation("matchLabels"), fields.PathOf("matchLabels"), DiagnosticCodes.InvalidSelector, "a label key must not be empty");
        }

        var expressions = ValueReader.List(fields["matchExpressions"], fields.PathOf("matchExpressions"), context,
            (item, itemPath) => ReadRequirement(item, itemPath, context)) ?? [];
        return new EndpointSelector { Location = fields.Location, MatchLabels = labels, MatchExpressions = expressions };
    }

    /// <summary>Reads a list of selectors (null vs [] vs [{}] preserved).</summary>
    public static List<EndpointSelector>? ReadList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) =>
        {
            if (item is SourceScalar { IsNull: true })
            {
                context.Error(item.Location, itemPath, DiagnosticCodes.WrongType, "expected a label selector (a mapping), found null; write {} to select everything");
                return null;
            }

            return Read(item, itemPath, context);
        });

    private static LabelSelectorRequirement? ReadRequirement(SourceNode item, string path, ParseContext context)
    {
        var fields = MappingFields.Open(item, path, context, "a selector requirement", RequirementFields);
        if (fields is null)
        {
            if (item is SourceScalar { IsNull: true })
            {
                context.Error(item.Location, path, DiagnosticCodes.WrongType, "expected a selector requirement, found null");
            }

            return null;
        }

        var key = ValueReader.String(fields["key"], fields.PathOf("key"), context);
        var operatorText = ValueReader.String(fields["operator"], fields.PathOf("operator"), context);
        var values = ValueReader.StringList(fields["values"], fields.PathOf("values"), context) ?? [];
        if (string.IsNullOrEmpty(key))
        {
            context.Error(fields.Has("key") ? fields["key"]!.Location : fields.Location, fields.PathOf("key"), DiagnosticCodes.MissingField,
                "a selector requirement needs a non-empty 'key'");
        }

        if (operatorText is null)
        {
            context.Error(fields.Location, fields.PathOf("operator"), DiagnosticCodes.MissingField,
                "a selector requirement needs an 'operator' (In, NotIn, Exists or DoesNotExist)");
            return null;
        }

        SelectorOperator? parsed = operatorText switch
        {
            "In" => SelectorOperator.In,
            "NotIn" => SelectorOperator.NotIn,
            "Exists" => SelectorOperator.Exists,
            "DoesNotExist" => SelectorOperator.DoesNotExist,
            _ => null,
        };
        if (parsed is not { } op)
        {
            context.Error(fields["operator"]!.Location, fields.PathOf("operator"), DiagnosticCodes.InvalidSelector,
                $"operator '{operatorText}' is not one of In, NotIn, Exists, DoesNotExist");
            return null;
        }

        var valuesPath = fields.PathOf("values");
        if (context.ErroredPaths.Contains(valuesPath))
        {
            // The values were malformed and already reported.
        }
        else if (op is SelectorOperator.In or SelectorOperator.NotIn && values.Count == 0)
        {
            context.Error(fields.Has("values") ? fields["values"]!.Location : fields["operator"]!.Location, valuesPath,
                DiagnosticCodes.InvalidSelector, $"operator {op} needs at least one value");
        }
        else if (op is SelectorOperator.Exists or SelectorOperator.DoesNotExist && values.Count > 0)
        {
            context.Error(fields["values"]!.Location, valuesPath, DiagnosticCodes.InvalidSelector,
                $"operator {op} takes no values");
        }

        return key is null ? null : new LabelSelectorRequirement { Location = fields.Location, Key = key, Operator = op, Values = values };
    }
}
