using System.Globalization;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;
using Sluice.Policy.Validation;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Recognises what a document is (CNP, CCNP, Kubernetes NetworkPolicy, a <c>List</c> of them, a bare rule
/// list, or something else to skip), reads its envelope and rules, validates them, and keeps it only when
/// no error was found inside it.
/// </summary>
internal static class DocumentReader
{
    private const string CiliumApiVersion = "cilium.io/v2";
    private const string NetworkingApiVersion = "networking.k8s.io/v1";

    private static readonly string[] CiliumEnvelopeFields = ["apiVersion", "kind", "metadata", "spec", "specs", "status"];
    private static readonly string[] KubernetesEnvelopeFields = ["apiVersion", "kind", "metadata", "spec", "status"];
    private static readonly string[] ListFields = ["apiVersion", "kind", "metadata", "items"];

    // ObjectMeta fields as `kubectl get -o yaml` prints them; only name, namespace and labels are used.
    private static readonly string[] MetadataFields =
    [
        "name", "namespace", "labels", "annotations", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers", "managedFields", "selfLink",
    ];

    /// <summary>Reads one source document, appending accepted policy documents to <paramref name="output"/>.</summary>
    public static void Read(SourceDocument document, ParseContext context, List<PolicyDocument> output)
    {
        if (document.Root is null)
        {
            return;
        }

        ReadNode(document.Root, string.Empty, document, context, output);
    }

    private static void ReadNode(SourceNode root, string prefix, SourceDocument document, ParseContext context, List<PolicyDocument> output)
    {
        context.BeginDocument();
        switch (root)
        {
            case SourceSequence sequence:
                context.CaseInsensitiveFields = true;
                ReadRuleList(sequence, prefix, document, context, output);
                return;
            case SourceMapping mapping:
                ReadObject(mapping, prefix, document, context, output);
                return;
            default:
                context.Error(root.Location, prefix.TrimEnd('.'), DiagnosticCodes.WrongType,
                    $"expected a policy (a mapping with apiVersion and kind) or a list of Cilium rules, found {ValueReader.Describe(root)}");
                return;
        }
    }

    private static void ReadRuleList(SourceSequence sequence, string prefix, SourceDocument document, ParseContext context, List<PolicyDocument> output)
    {
        var rules = new List<PolicyRule>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = $"{prefix.TrimEnd('.')}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (RuleReader.Read(sequence.Items[i], path, rules.Count, context) is { } rule)
            {
                RuleValidator.Validate(rule, PolicyKind.RuleList, null, context);
                rules.Add(rule);
            }
        }

        if (sequence.Items.Count == 0)
        {
            context.Warning(sequence.Location, prefix.TrimEnd('.'), DiagnosticCodes.EmptyPolicy, "the rule list is empty");
        }

        var name = Path.GetFileName(context.FileName);
        if (document.Index > 0)
        {
            name += "#" + document.Index.ToString(CultureInfo.InvariantCulture);
        }

        Accept(new PolicyDocument
        {
            Kind = PolicyKind.RuleList,
            Name = name,
            Source = sequence.Location,
            DocumentIndex = document.Index,
            Rules = rules,
        }, document, context, output);
    }

    private static void ReadObject(SourceMapping mapping, string prefix, SourceDocument document, ParseContext context, List<PolicyDocument> output)
    {
        var kindNode = Lookup(mapping, "kind");
        var apiVersionNode = Lookup(mapping, "apiVersion");
        var kind = kindNode is SourceScalar { IsNull: false } k ? k.Value : null;
        var apiVersion = apiVersionNode is SourceScalar { IsNull: false } a ? a.Value : null;
        if (kind is null)
        {
            context.Error(mapping.Location, prefix + "kind", DiagnosticCodes.MissingField,
                "the document has no 'kind'; expected CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, NetworkPolicy, a List of them, or a list of Cilium rules");
            return;
        }

        var group = apiVersion is null ? null : apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        switch (kind)
        {
            case "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy" when group is null or "cilium.io":
                ReadCilium(mapping, prefix, kind == "CiliumNetworkPolicy" ? PolicyKind.CiliumNetworkPolicy : PolicyKind.CiliumClusterwideNetworkPolicy,
                    apiVersion, document, context, output);
                return;
            case "NetworkPolicy" when group is null or "networking.k8s.io":
                ReadKubernetes(mapping, prefix, apiVersion, document, context, output);
                return;
            case "List" when group is null or "":
                ReadList(mapping, prefix, document, context, output);
                return;
            default:
                context.Note(KeyLocation(mapping, "kind") ?? mapping.Location, prefix.TrimEnd('.'), DiagnosticCodes.SkippedDocument,
                    $"skipped {kind}{(apiVersion is null ? string.Empty : $" ({apiVersion})")}: not a network policy");
                return;
        }
    }

    private static void ReadCilium(SourceMapping mapping, string prefix, PolicyKind kind, string? apiVersion, SourceDocument document,
        ParseContext context, List<PolicyDocument> output)
    {
        var fields = MappingFields.Open(mapping, prefix.TrimEnd('.'), context, $"a {kind}", CiliumEnvelopeFields,
            name => RuleReader.FieldNames.Contains(name) ? $"'{name}' is a rule field: move it under 'spec' (or into each entry of 'specs')" : null)!;
        CheckApiVersion(fields, apiVersion, CiliumApiVersion, context);
        var (name, policyNamespace, labels) = ReadMetadata(fields, context);
        if (kind == PolicyKind.CiliumClusterwideNetworkPolicy && policyNamespace is not null)
        {
            context.Warning(context.KeyAt(fields.PathOf("metadata") + ".namespace", fields.KeyLocation("metadata")), fields.PathOf("metadata") + ".namespace", DiagnosticCodes.InvalidValue,
                "a CiliumClusterwideNetworkPolicy is cluster-scoped; metadata.namespace is ignored");
            policyNamespace = null;
        }

        var rules = new List<PolicyRule>();
        if (fields.Has("spec") && RuleReader.Read(fields["spec"]!, fields.PathOf("spec"), 0, context) is { } spec)
        {
            rules.Add(spec);
        }

        var specs = ValueReader.List(fields["specs"], fields.PathOf("specs"), context,
            (item, path) => RuleReader.Read(item, path, rules.Count, context) is { } rule ? AddRule(rules, rule) : null);
        if (!fields.Has("spec") && !fields.Has("specs"))
        {
            context.Error(mapping.Location, prefix.TrimEnd('.'), DiagnosticCodes.EmptyPolicy, "empty policy: it has neither 'spec' nor 'specs'");
        }
        else if (!fields.Has("spec") && specs is { Count: 0 })
        {
            context.Warning(fields.KeyLocation("specs"), fields.PathOf("specs"), DiagnosticCodes.EmptyPolicy, "the policy holds no rules ('specs' is empty)");
        }

        foreach (var rule in rules)
        {
            RuleValidator.Validate(rule, kind, policyNamespace, context);
        }

        Accept(new PolicyDocument
        {
            Kind = kind,
            Name = name,
            Namespace = policyNamespace,
            Source = mapping.Location,
            DocumentIndex = document.Index,
            Rules = rules,
            Labels = labels,
        }, document, context, output);
    }

    private static PolicyRule AddRule(List<PolicyRule> rules, PolicyRule rule)
    {
        rules.Add(rule);
        return rule;
    }

    private static void ReadKubernetes(SourceMapping mapping, string prefix, string? apiVersion, SourceDocument document, ParseContext context, List<PolicyDocument> output)
    {
        var fields = MappingFields.Open(mapping, prefix.TrimEnd('.'), context, "a NetworkPolicy", KubernetesEnvelopeFields)!;
        CheckApiVersion(fields, apiVersion, NetworkingApiVersion, context);
        var (name, policyNamespace, labels) = ReadMetadata(fields, context);
        var policy = KubernetesPolicyReader.Read(fields["spec"], fields.PathOf("spec"), name, policyNamespace, mapping.Location, context);
        if (policy is null)
        {
            return;
        }

        Accept(new PolicyDocument
        {
            Kind = PolicyKind.KubernetesNetworkPolicy,
            Name = name,
            Namespace = policyNamespace,
            Source = mapping.Location,
            DocumentIndex = document.Index,
            Rules = [],
            Labels = labels,
            Kubernetes = policy,
        }, document, context, output);
    }

    private static void ReadList(SourceMapping mapping, string prefix, SourceDocument document, ParseContext context, List<PolicyDocument> output)
    {
        var fields = MappingFields.Open(mapping, prefix.TrimEnd('.'), context, "a List", ListFields)!;
        var items = fields["items"];
        if (items is SourceSequence sequence)
        {
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                var itemPrefix = $"{fields.PathOf("items")}[{i.ToString(CultureInfo.InvariantCulture)}].";
                if (sequence.Items[i] is SourceMapping item)
                {
                    ReadNode(item, itemPrefix, document, context, output);
                }
                else
                {
                    context.Error(sequence.Items[i].Location, itemPrefix.TrimEnd('.'), DiagnosticCodes.WrongType,
                        $"expected a Kubernetes object, found {ValueReader.Describe(sequence.Items[i])}");
                }
            }
        }
        else if (items is not null && items is not SourceScalar { IsNull: true })
        {
            context.Error(items.Location, fields.PathOf("items"), DiagnosticCodes.WrongType, $"expected a list of objects, found {items.ShapeName}");
        }
    }

    private static void CheckApiVersion(MappingFields fields, string? apiVersion, string expected, ParseContext context)
    {
        if (apiVersion is null && !fields.Mapping.Entries.Any(e => string.Equals(e.Key.Value, "apiVersion", StringComparison.OrdinalIgnoreCase)))
        {
            context.Error(fields.Location, fields.PathOf("apiVersion"), DiagnosticCodes.MissingField, $"the document has no 'apiVersion' (expected {expected})");
        }
        else if (apiVersion is not null && apiVersion != expected)
        {
            context.Error(fields["apiVersion"]?.Location ?? fields.Location, fields.PathOf("apiVersion"), DiagnosticCodes.UnsupportedApiVersion,
                $"apiVersion '{apiVersion}' is not supported for this kind; expected {expected}");
        }
    }

    private static (string Name, string? Namespace, IReadOnlyDictionary<string, string> Labels) ReadMetadata(MappingFields envelope, ParseContext context)
    {
        var metadata = MappingFields.Open(envelope["metadata"], envelope.PathOf("metadata"), context, "metadata", MetadataFields);
        var name = metadata is null ? null : ValueReader.String(metadata["name"], metadata.PathOf("name"), context);
        if (string.IsNullOrEmpty(name))
        {
            context.Error(metadata?.Location ?? envelope.Location, envelope.PathOf("metadata") + ".name", DiagnosticCodes.MissingField, "the policy needs metadata.name");
        }
        else if (!IsDnsName(name, 253, allowDots: true))
        {
            context.Error(metadata!["name"]!.Location, metadata.PathOf("name"), DiagnosticCodes.InvalidValue,
                $"'{name}' is not a valid object name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)");
        }

        var policyNamespace = metadata is null ? null : ValueReader.String(metadata["namespace"], metadata.PathOf("namespace"), context);
        if (!string.IsNullOrEmpty(policyNamespace) && !IsDnsName(policyNamespace, 63, allowDots: false))
        {
            context.Error(metadata!["namespace"]!.Location, metadata.PathOf("namespace"), DiagnosticCodes.InvalidValue,
                $"'{policyNamespace}' is not a valid namespace (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)");
        }

        var labels = metadata is null ? null : ValueReader.StringMap(metadata["labels"], metadata.PathOf("labels"), context);
        if (metadata is not null)
        {
            ValueReader.StringMap(metadata["annotations"], metadata.PathOf("annotations"), context);
        }

        return (name ?? string.Empty, string.IsNullOrEmpty(policyNamespace) ? null : policyNamespace, labels ?? []);
    }

    /// <summary>Kubernetes object names are DNS-1123 subdomains; namespaces are DNS-1123 labels (no dots).</summary>
    private static bool IsDnsName(string text, int maxLength, bool allowDots) =>
        text.Length <= maxLength
        && (char.IsAsciiLetterLower(text[0]) || char.IsAsciiDigit(text[0]))
        && (char.IsAsciiLetterLower(text[^1]) || char.IsAsciiDigit(text[^1]))
        && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || (allowDots && c == '.'));

    private static void Accept(PolicyDocument policy, SourceDocument document, ParseContext context, List<PolicyDocument> output)
    {
        if (context.DocumentHasErrors || document.HasSourceErrors)
        {
            return;
        }

        output.Add(policy with { NotEnforced = [.. context.NotEnforced] });
    }

    /// <summary>Where the key <paramref name="key"/> is written (exact spelling), or null.</summary>
    private static SourceLocation? KeyLocation(SourceMapping mapping, string key) =>
        mapping.Entries.Where(e => e.Key.Value == key).Select(e => (SourceLocation?)e.Key.Location).FirstOrDefault();

    /// <summary>Finds a key exactly, else ignoring case (the schema check reports the spelling later).</summary>
    private static SourceNode? Lookup(SourceMapping mapping, string key) =>
        mapping.Entries.FirstOrDefault(e => e.Key.Value == key).Value
        ?? mapping.Entries.FirstOrDefault(e => string.Equals(e.Key.Value, key, StringComparison.OrdinalIgnoreCase)).Value;
}
