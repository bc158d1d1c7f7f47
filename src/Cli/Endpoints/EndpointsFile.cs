using System.Net;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Cli.Endpoints;

/// <summary>
/// The endpoints file (DESIGN §4.3): the local endpoints with their names, namespaces, addresses and
/// labels, plus labelled external prefixes. Read with YamlDotNet's node model so that every error can
/// name the line and column of the offending key or value; unknown keys and wrong types are errors.
/// </summary>
internal sealed class EndpointsFile
{
    /// <summary>The namespace an endpoint gets when it names none, as Kubernetes does.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>Longest interface name Linux accepts (IFNAMSIZ − 1, include/uapi/linux/if.h).</summary>
    private const int MaxInterfaceNameLength = 15;

    /// <summary>Deepest nesting accepted. The real format nests four levels; the limit keeps hostile input
    /// from overflowing the stack in the YAML library's recursive node loader, which no catch can survive.</summary>
    private const int MaxDepth = 32;

    private static readonly string[] TopLevelKeys = ["endpoints", "external"];
    private static readonly string[] EndpointKeys = ["name", "namespace", "interface", "addresses", "labels", "policyMode"];
    private static readonly string[] ExternalKeys = ["cidr", "labels"];

    private EndpointsFile(IReadOnlyList<EndpointDefinition> endpoints, IReadOnlyList<ExternalPrefixDefinition> external)
    {
        Endpoints = endpoints;
        External = external;
    }

    /// <summary>The local endpoints, in file order.</summary>
    public IReadOnlyList<EndpointDefinition> Endpoints { get; }

    /// <summary>The labelled external prefixes, in file order.</summary>
    public IReadOnlyList<ExternalPrefixDefinition> External { get; }

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="EndpointsFileException">The file is unreadable or invalid; every problem is listed.</exception>
    public static EndpointsFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EndpointsFileException([Error(new SourceLocation(path, 0, 0), string.Empty, DiagnosticCodes.FileUnreadable, e.Message)]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses endpoints-file text; <paramref name="fileName"/> is used in error locations.</summary>
    /// <exception cref="EndpointsFileException">The text is invalid; every problem is listed.</exception>
    public static EndpointsFile Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(fileName);
        var file = reader.Read(text);
        if (reader.Errors.Count > 0)
        {
            throw new EndpointsFileException(reader.Errors);
        }

        return file!;
    }

    private static Diagnostic Error(SourceLocation location, string path, string code, string message) =>
        new(DiagnosticSeverity.Error, location, path, message, code);

    /// <summary>One parse: walks the node tree and collects every error rather than stopping at the first.</summary>
    private sealed class Reader(string fileName)
    {
        public List<Diagnostic> Errors { get; } = [];

        public EndpointsFile? Read(string text)
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
            catch (YamlException e)
            {
                Add(Loc(e.Start), string.Empty, DiagnosticCodes.Syntax, e.InnerException?.Message ?? e.Message);
                return null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // CheckDepth has already scanned the same text; this only guards against the node loader
                // failing where the event parser did not.
                Add(new SourceLocation(fileName, 1, 1), string.Empty, DiagnosticCodes.Syntax, $"malformed YAML ({e.Message})");
                return null;
            }

            var endpoints = new List<EndpointDefinition>();
            var external = new List<ExternalPrefixDefinition>();
            if (stream.Documents.Count == 0)
            {
                return new EndpointsFile(endpoints, external);
            }

            if (stream.Documents.Count > 1)
            {
                Add(Loc(stream.Documents[1].RootNode.Start), string.Empty, DiagnosticCodes.InvalidValue,
                    "the endpoints file holds one YAML document; found more");
            }

            var root = stream.Documents[0].RootNode;
            if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return new EndpointsFile(endpoints, external);
            }

            if (root is not YamlMappingNode top)
            {
                Add(Loc(root.Start), string.Empty, DiagnosticCodes.WrongType, "expected a mapping with 'endpoints' and 'external'");
                return null;
            }

            CheckKeys(top, string.Empty, TopLevelKeys);
            if (Child(top, "endpoints") is { } endpointsNode && !IsNull(endpointsNode))
            {
                if (endpointsNode is YamlSequenceNode list)
                {
                    for (int i = 0; i < list.Children.Count; i++)
                    {
                        if (ReadEndpoint(list.Children[i], $"endpoints[{i}]") is { } endpoint)
                        {
                            endpoints.Add(endpoint);
                        }
                    }
                }
                else
                {
                    Add(Loc(endpointsNode.Start), "endpoints", DiagnosticCodes.WrongType, "expected a list of endpoints");
                }
            }

            if (Child(top, "external") is { } externalNode && !IsNull(externalNode))
            {
                if (externalNode is YamlSequenceNode list)
                {
                    for (int i = 0; i < list.Children.Count; i++)
                    {
                        if (ReadExternal(list.Children[i], $"external[{i}]") is { } prefix)
                        {
                            external.Add(prefix);
                        }
                    }
                }
                else
                {
                    Add(Loc(externalNode.Start), "external", DiagnosticCodes.WrongType, "expected a list of {cidr, labels} entries");
                }
            }

            CheckUnique(endpoints, external);
            return new EndpointsFile(endpoints, external);
        }

        /// <summary>
        /// Rejects nesting deeper than <see cref="MaxDepth"/> and input YamlDotNet's scanner chokes on, before
        /// the recursive node model is built (<see cref="YamlPreflight"/>).
        /// </summary>
        private bool CheckDepth(string text)
        {
            var check = YamlPreflight.Check(text, MaxDepth);
            switch (check.Outcome)
            {
                case YamlPreflightOutcome.TooDeep:
                    Add(Loc(check.Position), string.Empty, DiagnosticCodes.LimitExceeded, $"nesting deeper than {MaxDepth} levels");
                    return false;
                case YamlPreflightOutcome.SyntaxError:
                    Add(Loc(check.Position), string.Empty, DiagnosticCodes.Syntax, check.Exception!.InnerException?.Message ?? check.Exception.Message);
                    return false;
                case YamlPreflightOutcome.Malformed:
                    Add(Loc(check.Position), string.Empty, DiagnosticCodes.Syntax, $"malformed YAML after this point ({check.Exception!.Message})");
                    return false;
                default:
                    return true;
            }
        }

        private EndpointDefinition? ReadEndpoint(YamlNode node, string path)
        {
            if (node is not YamlMappingNode map)
            {
                Add(Loc(node.Start), path, DiagnosticCodes.WrongType, "expected an endpoint mapping (name, namespace, interface, addresses, labels, policyMode)");
                return null;
            }

            int errorsBefore = Errors.Count;
            CheckKeys(map, path, EndpointKeys);
            string? name = Scalar(map, "name", path, required: true);
            if (name is { Length: 0 })
            {
                Add(Loc(Child(map, "name")!.Start), path + ".name", DiagnosticCodes.MissingField, "name must not be empty");
            }

            string ns = Scalar(map, "namespace", path, required: false) ?? DefaultNamespace;
            if (ns.Length == 0)
            {
                Add(Loc(Child(map, "namespace")!.Start), path + ".namespace", DiagnosticCodes.InvalidValue, "namespace must not be empty");
            }

            string? iface = Scalar(map, "interface", path, required: false);
            if (iface is not null && (iface.Length is 0 or > MaxInterfaceNameLength || iface.Any(c => c == '/' || char.IsWhiteSpace(c))))
            {
                Add(Loc(Child(map, "interface")!.Start), path + ".interface", DiagnosticCodes.InvalidValue,
                    $"'{iface}' is not an interface name (1–{MaxInterfaceNameLength} characters, no '/' or spaces)");
            }

            var addresses = new List<IPAddress>();
            if (Child(map, "addresses") is { } addressesNode && !IsNull(addressesNode))
            {
                if (addressesNode is YamlSequenceNode list)
                {
                    for (int i = 0; i < list.Children.Count; i++)
                    {
                        var item = list.Children[i];
                        if (item is YamlScalarNode { Value: { } value } && IPAddress.TryParse(value, out var address) && !value.Contains('/', StringComparison.Ordinal))
                        {
                            addresses.Add(address);
                        }
                        else
                        {
                            Add(Loc(item.Start), $"{path}.addresses[{i}]", DiagnosticCodes.InvalidValue,
                                $"'{(item as YamlScalarNode)?.Value}' is not an IPv4 or IPv6 address");
                        }
                    }
                }
                else
                {
                    Add(Loc(addressesNode.Start), path + ".addresses", DiagnosticCodes.WrongType, "expected a list of addresses");
                }
            }

            var labels = Labels(map, path);
            var mode = PolicyMode.Enforce;
            if (Scalar(map, "policyMode", path, required: false) is { } modeText)
            {
                switch (modeText)
                {
                    case "enforce":
                        mode = PolicyMode.Enforce;
                        break;
                    case "audit":
                        mode = PolicyMode.Audit;
                        break;
                    default:
                        Add(Loc(Child(map, "policyMode")!.Start), path + ".policyMode", DiagnosticCodes.InvalidValue,
                            $"'{modeText}' is not a policy mode (enforce or audit)");
                        break;
                }
            }

            if (labels.TryGetValue(WellKnownLabels.PodNamespace, out var labelled) || labels.TryGetValue($"{LabelSource.Kubernetes}:{WellKnownLabels.PodNamespace}", out labelled))
            {
                if (!string.Equals(labelled, ns, StringComparison.Ordinal))
                {
                    Add(Loc(Child(map, "labels")!.Start), path + ".labels", DiagnosticCodes.InvalidValue,
                        $"label {WellKnownLabels.PodNamespace}={labelled} contradicts namespace '{ns}'");
                }
            }

            return Errors.Count > errorsBefore || name is null
                ? null
                : new EndpointDefinition(name, ns, iface, addresses, labels, mode, Loc(map.Start));
        }

        private ExternalPrefixDefinition? ReadExternal(YamlNode node, string path)
        {
            if (node is not YamlMappingNode map)
            {
                Add(Loc(node.Start), path, DiagnosticCodes.WrongType, "expected a {cidr, labels} mapping");
                return null;
            }

            int errorsBefore = Errors.Count;
            CheckKeys(map, path, ExternalKeys);
            string? cidr = Scalar(map, "cidr", path, required: true);
            IpPrefix prefix = default;
            if (cidr is not null && (!cidr.Contains('/', StringComparison.Ordinal) || !IpPrefix.TryParse(cidr, out prefix)))
            {
                Add(Loc(Child(map, "cidr")!.Start), path + ".cidr", DiagnosticCodes.InvalidCidr, $"'{cidr}' is not a prefix (address/length)");
            }

            var labels = Labels(map, path);
            return Errors.Count > errorsBefore || cidr is null ? null : new ExternalPrefixDefinition(prefix, labels, Loc(map.Start));
        }

        private Dictionary<string, string> Labels(YamlMappingNode map, string path)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Child(map, "labels") is not { } node || IsNull(node))
            {
                return labels;
            }

            if (node is not YamlMappingNode labelMap)
            {
                Add(Loc(node.Start), path + ".labels", DiagnosticCodes.WrongType, "expected a mapping of label keys to values");
                return labels;
            }

            foreach (var (keyNode, valueNode) in labelMap.Children)
            {
                string key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                string labelPath = $"{path}.labels.{key}";
                if (key.Length == 0 || keyNode is not YamlScalarNode)
                {
                    Add(Loc(keyNode.Start), path + ".labels", DiagnosticCodes.InvalidValue, "label keys must be non-empty text");
                    continue;
                }

                if (valueNode is not YamlScalarNode valueScalar)
                {
                    Add(Loc(valueNode.Start), labelPath, DiagnosticCodes.WrongType, "label values must be text, not a list or mapping");
                    continue;
                }

                labels[key] = IsNull(valueScalar) ? string.Empty : valueScalar.Value ?? string.Empty;
            }

            return labels;
        }

        private void CheckUnique(List<EndpointDefinition> endpoints, List<ExternalPrefixDefinition> external)
        {
            var names = new Dictionary<string, EndpointDefinition>(StringComparer.Ordinal);
            var addresses = new Dictionary<IPAddress, EndpointDefinition>();
            for (int i = 0; i < endpoints.Count; i++)
            {
                var endpoint = endpoints[i];
                if (!names.TryAdd(endpoint.Name, endpoint))
                {
                    Add(endpoint.Location, $"endpoints[{i}].name", DiagnosticCodes.InvalidValue,
                        $"endpoint name '{endpoint.Name}' is already used at line {names[endpoint.Name].Location.Line}");
                }

                foreach (var address in endpoint.Addresses)
                {
                    if (!addresses.TryAdd(address, endpoint))
                    {
                        Add(endpoint.Location, $"endpoints[{i}].addresses", DiagnosticCodes.InvalidValue,
                            $"address {address} is already used by endpoint '{addresses[address].Name}'");
                    }
                }
            }

            var prefixes = new HashSet<IpPrefix>();
            for (int i = 0; i < external.Count; i++)
            {
                if (!prefixes.Add(external[i].Prefix))
                {
                    Add(external[i].Location, $"external[{i}].cidr", DiagnosticCodes.InvalidValue, $"prefix {external[i].Prefix} is listed twice");
                }
            }
        }

        private string? Scalar(YamlMappingNode map, string key, string path, bool required)
        {
            var node = Child(map, key);
            if (node is null || IsNull(node))
            {
                if (required)
                {
                    Add(Loc(map.Start), Join(path, key), DiagnosticCodes.MissingField, $"'{key}' is required");
                }

                return null;
            }

            if (node is not YamlScalarNode scalar)
            {
                Add(Loc(node.Start), Join(path, key), DiagnosticCodes.WrongType, $"'{key}' must be text, not a list or mapping");
                return null;
            }

            return scalar.Value ?? string.Empty;
        }

        private void CheckKeys(YamlMappingNode map, string path, string[] allowed)
        {
            foreach (var keyNode in map.Children.Keys)
            {
                string key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    Add(Loc(keyNode.Start), Join(path, key), DiagnosticCodes.UnknownField,
                        $"unknown key '{key}' (expected one of: {string.Join(", ", allowed)})");
                }
            }
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

        private SourceLocation Loc(Mark mark) => new(fileName, (int)Math.Min(mark.Line, int.MaxValue), (int)Math.Min(mark.Column, int.MaxValue));

        private void Add(SourceLocation location, string path, string code, string message) =>
            Errors.Add(Error(location, path, code, message));
    }
}
