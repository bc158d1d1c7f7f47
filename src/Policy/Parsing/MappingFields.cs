using Sluice.Policy.Diagnostics;
using Sluice.Policy.Validation;

namespace Sluice.Policy.Parsing;

/// <summary>
/// The fields of one mapping, checked against the names its schema defines. Opening it reports unknown
/// fields (with the nearest known name as a hint). In bare rule lists, names that differ from a known one
/// only in case are accepted with a warning, because Cilium's API decoder (Go <c>encoding/json</c>) matches
/// field names case-insensitively; in Kubernetes objects they are unknown fields, as the API server treats them.
/// </summary>
internal sealed class MappingFields
{
    private readonly Dictionary<string, KeyValuePair<SourceScalar, SourceNode>> fields = new(StringComparer.Ordinal);

    private MappingFields(SourceMapping mapping, string path)
    {
        Mapping = mapping;
        Path = path;
    }

    /// <summary>The mapping itself.</summary>
    public SourceMapping Mapping { get; }

    /// <summary>Field path of the mapping.</summary>
    public string Path { get; }

    /// <summary>Where the mapping starts.</summary>
    public SourceLocation Location => Mapping.Location;

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping with the given known field names. Returns null (after
    /// reporting a wrong-type error unless the node is absent or null) when it is not a mapping.
    /// </summary>
    public static MappingFields? Open(SourceNode? node, string path, ParseContext context, string what, IReadOnlyList<string> known) =>
        Open(node, path, context, what, known, misplacedHint: null);

    /// <summary>
    /// As <see cref="Open(SourceNode?, string, ParseContext, string, IReadOnlyList{string})"/>; for an unknown
    /// field, <paramref name="misplacedHint"/> may explain where the field belongs instead (its result replaces
    /// the "did you mean" hint when not null).
    /// </summary>
    public static MappingFields? Open(SourceNode? node, string path, ParseContext context, string what, IReadOnlyList<string> known,
        Func<string, string?>? misplacedHint)
    {
        if (node is null || node is SourceScalar { IsNull: true })
        {
            return null;
        }

        if (node is not SourceMapping mapping)
        {
            context.Error(node.Location, path, DiagnosticCodes.WrongType, $"expected {what} (a mapping), found {ValueReader.Describe(node)}");
            return null;
        }

        var result = new MappingFields(mapping, path);
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            var canonical = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.Ordinal))
                ?? (context.CaseInsensitiveFields ? known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) : null);
            var fieldPath = Join(path, canonical ?? name);
            if (canonical is null)
            {
                var caseVariant = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                var suggestion = caseVariant ?? FieldNameSuggester.Suggest(name, known);
                var hint = misplacedHint?.Invoke(name) is { } misplaced
                    ? "; " + misplaced
                    : caseVariant is not null
                    ? $"; did you mean '{caseVariant}'? (field names are case-sensitive in Kubernetes objects)"
                    : suggestion is not null
                    ? $"; did you mean '{suggestion}'?"
                    : $"; known fields here: {string.Join(", ", known)}";
                context.Error(entry.Key.Location, fieldPath, DiagnosticCodes.UnknownField, $"unknown field '{name}' in {what}{hint}");
                continue;
            }

            if (!result.fields.TryAdd(canonical, entry))
            {
                context.Error(entry.Key.Location, fieldPath, DiagnosticCodes.DuplicateKey,
                    $"field '{canonical}' is given twice (as '{result.fields[canonical].Key.Value}' and '{name}')");
                continue;
            }

            if (!string.Equals(canonical, name, StringComparison.Ordinal))
            {
                context.Warning(entry.Key.Location, fieldPath, DiagnosticCodes.FieldNameCase,
                    $"field '{name}' is read as '{canonical}': Cilium's API accepts field names in any case, a Kubernetes object would not");
            }

            context.KeyLocations[fieldPath] = entry.Key.Location;
        }

        return result;
    }

    /// <summary>Joins a parent path and a field name.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>Path of a field of this mapping.</summary>
    public string PathOf(string name) => Join(Path, name);

    /// <summary>The value of <paramref name="name"/>, or null when absent.</summary>
    public SourceNode? this[string name] => fields.TryGetValue(name, out var entry) ? entry.Value : null;

    /// <summary>True when the field is present with a non-null value.</summary>
    public bool Has(string name) => this[name] is { } node && node is not SourceScalar { IsNull: true };

    /// <summary>True when the field is present at all (even as null).</summary>
    public bool Contains(string name) => fields.ContainsKey(name);

    /// <summary>Where the key of <paramref name="name"/> is, or the mapping's start when absent.</summary>
    public SourceLocation KeyLocation(string name) => fields.TryGetValue(name, out var entry) ? entry.Key.Location : Location;
}
