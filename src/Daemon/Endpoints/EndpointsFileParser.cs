using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sluice.Daemon.Configuration;
using YamlDotNet.RepresentationModel;

namespace Sluice.Daemon.Endpoints;

/// <summary>
/// Parses the endpoints file (DESIGN §4.3) into definitions, or into errors with key path and line:column.
/// Beyond types it checks what would make the file unusable as a whole: duplicate names, addresses,
/// interfaces and prefixes, invalid CIDRs (including host bits set), interface names the kernel would
/// refuse, and label keys and values Kubernetes would refuse.
/// </summary>
public static partial class EndpointsFileParser
{
    /// <summary>The label every endpoint carries with its namespace (Cilium's pod-namespace label).</summary>
    public const string PodNamespaceLabel = "io.kubernetes.pod.namespace";

    /// <summary>Namespace used when an endpoint does not name one (as in Kubernetes).</summary>
    public const string DefaultNamespace = "default";

    /// <summary>Interface names are at most IFNAMSIZ - 1 = 15 bytes (<c>include/uapi/linux/if.h</c>).</summary>
    public const int MaxInterfaceNameLength = 15;

    private static readonly Dictionary<string, EndpointPolicyMode> PolicyModeNames = new(StringComparer.Ordinal)
    {
        ["enforce"] = EndpointPolicyMode.Enforce,
        ["audit"] = EndpointPolicyMode.Audit,
    };

    /// <summary>Parses endpoints-file text.</summary>
    public static EndpointsParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var r = new YamlNodeReader();
        var endpoints = new List<(string Path, EndpointDefinition Endpoint)>();
        var external = new List<(string Path, ExternalPrefix Prefix)>();
        var root = r.Load(text, "endpoints file");
        if (root is not null)
        {
            r.ReadMapping(root, string.Empty, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
            {
                ["endpoints"] = (p, n) => r.ReadSequence(n, p, (ip, item) =>
                {
                    if (ReadEndpoint(r, item, ip) is { } e)
                    {
                        endpoints.Add((ip, e));
                    }
                }),
                ["external"] = (p, n) => r.ReadSequence(n, p, (ip, item) =>
                {
                    if (ReadExternal(r, item, ip) is { } x)
                    {
                        external.Add((ip, x));
                    }
                }),
            });
        }

        CheckUnique(r, endpoints, external);
        return r.Errors.Count > 0
            ? new EndpointsParseResult(null, r.Errors)
            : new EndpointsParseResult(new EndpointsFile([.. endpoints.Select(e => e.Endpoint)], [.. external.Select(x => x.Prefix)]), r.Errors);
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>; a missing file is an empty one.</summary>
    public static EndpointsParseResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new EndpointsParseResult(EndpointsFile.Empty, []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new EndpointsParseResult(null, [new ConfigError("(file)", 0, 0, $"cannot read {path}: {ex.Message}")]);
        }
    }

    private static EndpointDefinition? ReadEndpoint(YamlNodeReader r, YamlNode node, string path)
    {
        int before = r.Errors.Count;
        string? name = null;
        string ns = DefaultNamespace;
        string? iface = null;
        var addresses = new List<IPAddress>();
        bool addressesGiven = false;
        Dictionary<string, string> labels = new(StringComparer.Ordinal);
        var mode = EndpointPolicyMode.Inherit;
        if (node is not YamlMappingNode)
        {
            r.Add(path, node, $"expected an endpoint mapping (name, namespace, interface, addresses, labels, policyMode), found {YamlNodeReader.Describe(node)}");
            return null;
        }

        r.ReadMapping(node, path, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["name"] = (p, n) => name = CheckName(r, n, p, r.ReadString(n, p), "name"),
            ["namespace"] = (p, n) => ns = CheckName(r, n, p, r.ReadString(n, p), "namespace") ?? ns,
            ["interface"] = (p, n) => iface = CheckInterface(r, n, p, r.ReadString(n, p)),
            ["addresses"] = (p, n) =>
            {
                addressesGiven = true;
                r.ReadSequence(n, p, (ap, an) =>
                {
                    if (ReadAddress(r, an, ap) is { } a)
                    {
                        addresses.Add(a);
                    }
                });
            },
            ["labels"] = (p, n) => labels = ReadLabels(r, n, p),
            ["policyMode"] = (p, n) => mode = r.ReadEnum(n, p, PolicyModeNames) ?? mode,
        });

        var map = (YamlMappingNode)node;
        if (name is null && !map.Children.ContainsKey(new YamlScalarNode("name")))
        {
            r.Add(path + ".name", node, "is required");
        }

        if (iface is null && !map.Children.ContainsKey(new YamlScalarNode("interface")))
        {
            r.Add(path + ".interface", node, "is required: the host-side interface the datapath attaches to");
        }

        if (!addressesGiven || (addresses.Count == 0 && r.Errors.Count == before))
        {
            r.Add(path + ".addresses", node, "at least one address is required");
        }

        return r.Errors.Count > before || name is null || iface is null
            ? null
            : new EndpointDefinition(name, ns, iface, addresses, labels, mode, (int)node.Start.Line, (int)node.Start.Column);
    }

    private static ExternalPrefix? ReadExternal(YamlNodeReader r, YamlNode node, string path)
    {
        int before = r.Errors.Count;
        IPNetwork? cidr = null;
        Dictionary<string, string> labels = new(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            r.Add(path, node, $"expected a mapping {{cidr, labels}}, found {YamlNodeReader.Describe(node)}");
            return null;
        }

        r.ReadMapping(node, path, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["cidr"] = (p, n) => cidr = ReadCidr(r, n, p),
            ["labels"] = (p, n) => labels = ReadLabels(r, n, p),
        });

        if (!map.Children.ContainsKey(new YamlScalarNode("cidr")))
        {
            r.Add(path + ".cidr", node, "is required");
        }

        if (labels.Count == 0 && r.Errors.Count == before)
        {
            r.Add(path + ".labels", node, "at least one label is required (an unlabelled prefix is simply world)");
        }

        return r.Errors.Count > before || cidr is null
            ? null
            : new ExternalPrefix(cidr.Value, labels, (int)node.Start.Line, (int)node.Start.Column);
    }

    private static IPAddress? ReadAddress(YamlNodeReader r, YamlNode node, string path)
    {
        var text = r.ReadString(node, path);
        if (text is null)
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out var address) || text.Contains('/', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
            || text.Contains('%', StringComparison.Ordinal))
        {
            r.Add(path, node, $"'{text}' is not an IPv4 or IPv6 address");
            return null;
        }

        if (IPAddress.Any.Equals(address) || IPAddress.IPv6Any.Equals(address) || IPAddress.IsLoopback(address)
            || address.IsIPv6Multicast || (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] >= 224))
        {
            r.Add(path, node, $"'{text}' cannot be an endpoint address (unspecified, loopback, multicast or broadcast)");
            return null;
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static IPNetwork? ReadCidr(YamlNodeReader r, YamlNode node, string path)
    {
        var text = r.ReadString(node, path);
        if (text is null)
        {
            return null;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && text[..slash].Count(c => c == '.') != 3)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            r.Add(path, node, $"'{text}' is not a CIDR (address/length, e.g. 192.0.2.0/24)");
            return null;
        }

        var network = new IPNetwork(IPNetwork.Parse(text).BaseAddress, length);
        if (!network.BaseAddress.Equals(address))
        {
            r.Add(path, node, $"'{text}' has host bits set; did you mean {network}?");
            return null;
        }

        return network;
    }

    private static Dictionary<string, string> ReadLabels(YamlNodeReader r, YamlNode node, string path)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            r.Add(path, node, $"expected a mapping of label keys to values, found {YamlNodeReader.Describe(node)}");
            return labels;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            string keyText = keyNode is YamlScalarNode { Value: { } k } ? k : string.Empty;
            string keyPath = $"{path}.{keyText}";
            string key = keyText.StartsWith("k8s:", StringComparison.Ordinal) ? keyText[4..] : keyText;
            if (key.Contains(':', StringComparison.Ordinal))
            {
                r.Add(keyPath, keyNode, $"label source '{key[..key.IndexOf(':', StringComparison.Ordinal)]}' cannot be set on an endpoint; only k8s labels (written with or without 'k8s:')");
                continue;
            }

            if (!LabelKeyPattern().IsMatch(key) || key.Length > 253 + 1 + 63)
            {
                r.Add(keyPath, keyNode, $"'{keyText}' is not a valid label key ([prefix/]name, name ≤ 63 of A-Z a-z 0-9 - _ . starting and ending alphanumeric)");
                continue;
            }

            if (key == PodNamespaceLabel)
            {
                r.Add(keyPath, keyNode, $"'{PodNamespaceLabel}' is set from the endpoint's namespace; use 'namespace:' instead");
                continue;
            }

            if (labels.ContainsKey(key))
            {
                r.Add(keyPath, keyNode, $"label '{key}' is given twice (with and without 'k8s:')");
                continue;
            }

            if (valueNode is not YamlScalarNode { Value: var value })
            {
                r.Add(keyPath, valueNode, $"expected a label value string, found {YamlNodeReader.Describe(valueNode)}");
                continue;
            }

            value = YamlNodeReader.IsNull(valueNode) ? string.Empty : value ?? string.Empty;
            if (value.Length > 63 || (value.Length > 0 && !LabelValuePattern().IsMatch(value)))
            {
                r.Add(keyPath, valueNode, $"'{value}' is not a valid label value (≤ 63 of A-Z a-z 0-9 - _ . starting and ending alphanumeric)");
                continue;
            }

            labels[key] = value;
        }

        return labels;
    }

    private static string? CheckName(YamlNodeReader r, YamlNode node, string path, string? text, string what)
    {
        if (text is null)
        {
            return null;
        }

        if (!NamePattern().IsMatch(text) || text.Length > 63)
        {
            r.Add(path, node, $"'{text}' is not a valid {what} (lower-case letters, digits and '-', starting and ending alphanumeric, ≤ 63)");
            return null;
        }

        return text;
    }

    private static string? CheckInterface(YamlNodeReader r, YamlNode node, string path, string? text)
    {
        if (text is null)
        {
            return null;
        }

        // Mirrors dev_valid_name() in net/core/dev.c: 1–15 bytes, not "." or "..", no '/', ':' or whitespace.
        if (text.Length is 0 or > MaxInterfaceNameLength || text is "." or ".."
            || text.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || c > 0x7e))
        {
            r.Add(path, node, $"'{text}' is not a valid interface name (1–{MaxInterfaceNameLength} characters, no '/', ':' or spaces)");
            return null;
        }

        return text;
    }

    // Cross-entry checks run after parsing: the reader remembers where each key and list item was written,
    // so these errors still point at the line of the offending entry.
    private static void CheckUnique(YamlNodeReader r, List<(string Path, EndpointDefinition Endpoint)> endpoints, List<(string Path, ExternalPrefix Prefix)> external)
    {
        var names = new Dictionary<string, EndpointDefinition>(StringComparer.Ordinal);
        var interfaces = new Dictionary<string, EndpointDefinition>(StringComparer.Ordinal);
        var addresses = new Dictionary<IPAddress, EndpointDefinition>();
        foreach (var (path, e) in endpoints)
        {
            if (!names.TryAdd(e.Name, e))
            {
                r.Add($"{path}.name", $"endpoint name '{e.Name}' is already used at line {names[e.Name].Line}");
            }

            if (!interfaces.TryAdd(e.Interface, e))
            {
                r.Add($"{path}.interface", $"interface '{e.Interface}' is already used by endpoint '{interfaces[e.Interface].Name}'");
            }

            foreach (var a in e.Addresses)
            {
                if (!addresses.TryAdd(a, e))
                {
                    r.Add($"{path}.addresses", addresses[a] == e
                        ? $"address {a} is listed twice"
                        : $"address {a} is already used by endpoint '{addresses[a].Name}'");
                }
            }
        }

        var prefixes = new Dictionary<IPNetwork, ExternalPrefix>();
        foreach (var (path, x) in external)
        {
            if (!prefixes.TryAdd(x.Cidr, x))
            {
                r.Add($"{path}.cidr", $"prefix {x.Cidr} is already listed at line {prefixes[x.Cidr].Line}");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValuePattern();
}
