using Sluice.Api.Flow;
using YamlDotNet.RepresentationModel;

namespace Sluice.Daemon.Configuration;

/// <summary>
/// Reads the daemon config (DESIGN §4.2) from YAML. Unknown keys, wrong types and bad values are errors
/// naming the key path and line:column; every error in the file is reported, then the options are checked
/// by <see cref="SluiceOptionsValidator"/> with positions carried over from the file.
/// </summary>
public static class SluiceConfigParser
{
    private static readonly Dictionary<string, PolicyEnforcement> EnforcementNames = new(StringComparer.Ordinal)
    {
        ["default"] = PolicyEnforcement.Default,
        ["always"] = PolicyEnforcement.Always,
        ["never"] = PolicyEnforcement.Never,
    };

    private static readonly Dictionary<string, OtlpProtocol> ProtocolNames = new(StringComparer.Ordinal)
    {
        ["grpc"] = OtlpProtocol.Grpc,
        ["http/protobuf"] = OtlpProtocol.HttpProtobuf,
    };

    /// <summary>Parses and validates config text; <see cref="ConfigParseResult.Errors"/> is empty on success.</summary>
    public static ConfigParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new YamlNodeReader();
        var options = new SluiceOptions();
        var root = reader.Load(text, "config");
        if (root is not null)
        {
            ReadRoot(reader, root, options);
        }

        if (reader.Errors.Count == 0)
        {
            SluiceOptionsValidator.Validate(options, reader.Add);
        }

        return new ConfigParseResult(options, reader.Errors);
    }

    /// <summary>
    /// Reads the config file at <paramref name="path"/>. A missing file at the default path means "all
    /// defaults" (every key is optional); a missing file that was asked for explicitly is an error.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is unreadable or invalid; every error is listed.</exception>
    public static SluiceOptions Load(string path, bool explicitlyGiven)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException) when (!explicitlyGiven)
        {
            text = string.Empty;
        }
        catch (DirectoryNotFoundException) when (!explicitlyGiven)
        {
            text = string.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read config file {path}: {ex.Message}", ex);
        }

        var result = Parse(text);
        return result.Errors.Count > 0 ? throw new ConfigurationException(path, result.Errors) : result.Options;
    }

    private static void ReadRoot(YamlNodeReader r, YamlNode root, SluiceOptions o) =>
        r.ReadMapping(root, string.Empty, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["nodeName"] = (p, n) => o.NodeName = r.ReadString(n, p) ?? o.NodeName,
            ["stateDir"] = (p, n) => o.StateDir = r.ReadString(n, p) ?? o.StateDir,
            ["bpfPinDir"] = (p, n) => o.BpfPinDir = r.ReadString(n, p) ?? o.BpfPinDir,
            ["policy"] = (p, n) => ReadPolicy(r, n, p, o.Policy),
            ["endpointsFile"] = (p, n) => o.EndpointsFile = r.ReadString(n, p) ?? o.EndpointsFile,
            ["flows"] = (p, n) => ReadFlows(r, n, p, o.Flows),
            ["metrics"] = (p, n) => r.ReadMapping(n, p, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
            {
                ["listen"] = (p2, n2) => o.Metrics.Listen = r.ReadString(n2, p2) ?? o.Metrics.Listen,
            }),
            ["grpc"] = (p, n) => ReadGrpc(r, n, p, o.Grpc),
            ["otlp"] = (p, n) => ReadOtlp(r, n, p, o.Otlp),
        });

    private static void ReadPolicy(YamlNodeReader r, YamlNode node, string path, PolicyOptions o) =>
        r.ReadMapping(node, path, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["dirs"] = (p, n) => o.Dirs = r.ReadStringList(n, p) ?? o.Dirs,
            ["enforcement"] = (p, n) => o.Enforcement = r.ReadEnum(n, p, EnforcementNames) ?? o.Enforcement,
            ["auditMode"] = (p, n) => o.AuditMode = r.ReadBool(n, p) ?? o.AuditMode,
        });

    private static void ReadFlows(YamlNodeReader r, YamlNode node, string path, FlowsOptions o) =>
        r.ReadMapping(node, path, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["ringCapacity"] = (p, n) => o.RingCapacity = r.ReadInt(n, p, 1, FlowsOptions.MaxRingCapacity) ?? o.RingCapacity,
            ["aggregationInterval"] = (p, n) => o.AggregationInterval = r.ReadDuration(n, p) ?? o.AggregationInterval,
            ["log"] = (p, n) => ReadFlowLog(r, n, p, o.Log),
        });

    private static void ReadFlowLog(YamlNodeReader r, YamlNode node, string path, FlowLogOptions o) =>
        r.ReadMapping(node, path, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["path"] = (p, n) => o.Path = r.ReadString(n, p) ?? o.Path,
            ["maxSizeMb"] = (p, n) => o.MaxSizeMb = r.ReadInt(n, p, 1, 1 << 20) ?? o.MaxSizeMb,
            ["maxBackups"] = (p, n) => o.MaxBackups = r.ReadInt(n, p, 0, 10_000) ?? o.MaxBackups,
            ["compress"] = (p, n) => o.Compress = r.ReadBool(n, p) ?? o.Compress,
            ["allow"] = (p, n) => o.Allow = ReadFilters(r, n, p) ?? o.Allow,
            ["deny"] = (p, n) => o.Deny = ReadFilters(r, n, p) ?? o.Deny,
            ["fieldMask"] = (p, n) => o.FieldMask = r.ReadStringList(n, p) ?? o.FieldMask,
        });

    private static List<FlowFilter>? ReadFilters(YamlNodeReader r, YamlNode node, string path)
    {
        var filters = new List<FlowFilter>();
        bool ok = true;
        r.ReadSequence(node, path, (p, n) =>
        {
            var f = FlowFilterYaml.Read(r, n, p);
            if (f is null)
            {
                ok = false;
            }
            else
            {
                filters.Add(f);
            }
        });
        return ok && node is YamlSequenceNode ? filters : null;
    }

    private static void ReadGrpc(YamlNodeReader r, YamlNode node, string path, GrpcOptions o) =>
        r.ReadMapping(node, path, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["socket"] = (p, n) => o.Socket = r.ReadString(n, p) ?? o.Socket,
            ["listen"] = (p, n) => o.Listen = r.ReadString(n, p) ?? o.Listen,
            ["tls"] = (p, n) => r.ReadMapping(n, p, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
            {
                ["cert"] = (p2, n2) => o.Tls.Cert = r.ReadString(n2, p2) ?? o.Tls.Cert,
                ["key"] = (p2, n2) => o.Tls.Key = r.ReadString(n2, p2) ?? o.Tls.Key,
                ["clientCa"] = (p2, n2) => o.Tls.ClientCa = r.ReadString(n2, p2) ?? o.Tls.ClientCa,
            }),
        });

    private static void ReadOtlp(YamlNodeReader r, YamlNode node, string path, OtlpOptions o) =>
        r.ReadMapping(node, path, new Dictionary<string, Action<string, YamlNode>>(StringComparer.Ordinal)
        {
            ["endpoint"] = (p, n) => o.Endpoint = r.ReadString(n, p) ?? o.Endpoint,
            ["protocol"] = (p, n) => o.Protocol = r.ReadEnum(n, p, ProtocolNames) ?? o.Protocol,
            ["traces"] = (p, n) => o.Traces = r.ReadBool(n, p) ?? o.Traces,
            ["metrics"] = (p, n) => o.Metrics = r.ReadBool(n, p) ?? o.Metrics,
            ["sampleRatio"] = (p, n) => o.SampleRatio = r.ReadDouble(n, p, 0, 1) ?? o.SampleRatio,
        });
}
