using System.Globalization;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;
using Sluice.Policy.Validation;

namespace Sluice.Policy.Parsing;

/// <summary>Reads <c>toPorts</c> entries: ports, and the L7, TLS and listener parts (parsed, not enforced).</summary>
internal static class PortRuleReader
{
    private static readonly string[] PortRuleFields = ["ports", "terminatingTLS", "originatingTLS", "serverNames", "listener", "rules"];
    private static readonly string[] PortDenyRuleFields = ["ports"];
    private static readonly string[] PortFields = ["port", "endPort", "protocol"];
    private static readonly string[] L7Fields = ["http", "kafka", "dns", "l7proto", "l7"];
    private static readonly string[] HttpFields = ["path", "method", "host", "headers", "headerMatches"];
    private static readonly string[] HeaderMatchFields = ["mismatch", "name", "secret", "value"];
    private static readonly string[] SecretFields = ["namespace", "name"];
    private static readonly string[] KafkaFields = ["role", "apiKey", "apiVersion", "clientID", "topic"];
    private static readonly string[] TlsFields = ["secret", "trustedCA", "certificate", "privateKey"];
    private static readonly string[] ListenerFields = ["envoyConfig", "name", "priority"];
    private static readonly string[] EnvoyConfigFields = ["kind", "name"];

    /// <summary>Reads a toPorts list; deny rules take only <c>ports</c>.</summary>
    public static List<PortRule>? ReadList(SourceNode? node, string path, ParseContext context, bool deny) =>
        ValueReader.List(node, path, context, (item, itemPath) => Read(item, itemPath, context, deny));

    private static PortRule? Read(SourceNode item, string path, ParseContext context, bool deny)
    {
        var fields = PeerReader.OpenItem(item, path, context, deny ? "a deny port rule" : "a port rule", deny ? PortDenyRuleFields : PortRuleFields);
        if (fields is null)
        {
            return null;
        }

        var ports = ValueReader.List(fields["ports"], fields.PathOf("ports"), context, (p, pPath) => ReadPort(p, pPath, context)) ?? [];
        var serverNames = ValueReader.StringList(fields["serverNames"], fields.PathOf("serverNames"), context);
        var terminating = ReadTls(fields, "terminatingTLS", context);
        var originating = ReadTls(fields, "originatingTLS", context);
        var listener = ReadListener(fields, context);
        var rules = ReadL7(fields, context);
        if (serverNames is not null)
        {
            context.NotEnforcedField("serverNames", fields.PathOf("serverNames"), "TLS SNI matching needs an L7 proxy");
        }

        return new PortRule
        {
            Location = fields.Location,
            Ports = ports,
            Rules = rules,
            ServerNames = serverNames,
            TerminatingTLS = terminating,
            OriginatingTLS = originating,
            Listener = listener,
        };
    }

    private static PortProtocol? ReadPort(SourceNode item, string path, ParseContext context)
    {
        var fields = PeerReader.OpenItem(item, path, context, "a port", PortFields);
        if (fields is null)
        {
            return null;
        }

        var ok = true;
        var portValue = ValueReader.String(fields["port"], fields.PathOf("port"), context);
        if (portValue is null && fields.Has("port"))
        {
            ok = false;
        }

        var portText = portValue ?? string.Empty;
        var port = portText;
        if (portText.Length > 0)
        {
            if (PortNames.IsServiceName(portText))
            {
                // Cilium lower-cases port names so that they compare case-insensitively.
                port = portText.ToLowerInvariant();
            }
            else if (!portText.All(char.IsAsciiDigit) || portText.Length > 5
                || int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture) > 65535)
            {
                context.Error(fields["port"]!.Location, fields.PathOf("port"), DiagnosticCodes.InvalidPort,
                    $"'{portText}' is neither a port number in 0..65535 nor a port name (1-15 letters, digits and single hyphens, with a letter)");
                ok = false;
            }
            else if (portText.Length > 1 && portText[0] == '0')
            {
                // Go's strconv.ParseUint(s, 0, 16), which Cilium uses, reads a leading 0 as octal.
                context.Error(fields["port"]!.Location, fields.PathOf("port"), DiagnosticCodes.InvalidPort,
                    $"'{portText}' has a leading zero, which Cilium reads as an octal number; write the port in plain decimal");
                ok = false;
            }
        }

        var endPort = ValueReader.Integer(fields["endPort"], fields.PathOf("endPort"), context, 0, 65535);
        if (fields.Has("endPort") && endPort is null)
        {
            ok = false;
        }

        var protocolText = ValueReader.String(fields["protocol"], fields.PathOf("protocol"), context) ?? string.Empty;
        L4Protocol protocol;
        switch (protocolText.ToUpperInvariant())
        {
            case "" or "ANY":
                protocol = L4Protocol.Any;
                break;
            case "TCP":
                protocol = L4Protocol.TCP;
                break;
            case "UDP":
                protocol = L4Protocol.UDP;
                break;
            case "SCTP":
                protocol = L4Protocol.SCTP;
                break;
            case "VRRP":
                protocol = L4Protocol.VRRP;
                context.NotEnforcedField("protocol VRRP", fields.PathOf("protocol"), "extended IP protocols are not matched by the datapath");
                break;
            case "IGMP":
                protocol = L4Protocol.IGMP;
                context.NotEnforcedField("protocol IGMP", fields.PathOf("protocol"), "extended IP protocols are not matched by the datapath");
                break;
            case "ICMP" or "ICMPV6":
                context.Error(fields["protocol"]!.Location, fields.PathOf("protocol"), DiagnosticCodes.InvalidProtocol,
                    $"protocol {protocolText} cannot be matched in toPorts; use an 'icmps' rule");
                return null;
            default:
                context.Error(fields["protocol"]!.Location, fields.PathOf("protocol"), DiagnosticCodes.InvalidProtocol,
                    $"unknown protocol '{protocolText}'; use TCP, UDP, SCTP or ANY");
                return null;
        }

        return ok ? new PortProtocol { Location = fields.Location, Port = port, EndPort = endPort is 0 ? null : (int?)endPort, Protocol = protocol } : null;
    }

    private static TlsContext? ReadTls(MappingFields parent, string name, ParseContext context)
    {
        var fields = MappingFields.Open(parent[name], parent.PathOf(name), context, "a TLS context", TlsFields);
        if (fields is null)
        {
            return null;
        }

        context.NotEnforcedField(name, parent.PathOf(name), "TLS interception needs an L7 proxy");
        return new TlsContext
        {
            Location = fields.Location,
            Secret = ReadSecret(fields, "secret", context),
            TrustedCA = ValueReader.String(fields["trustedCA"], fields.PathOf("trustedCA"), context),
            Certificate = ValueReader.String(fields["certificate"], fields.PathOf("certificate"), context),
            PrivateKey = ValueReader.String(fields["privateKey"], fields.PathOf("privateKey"), context),
        };
    }

    private static SecretReference? ReadSecret(MappingFields parent, string name, ParseContext context)
    {
        var fields = MappingFields.Open(parent[name], parent.PathOf(name), context, "a secret reference", SecretFields);
        if (fields is null)
        {
            return null;
        }

        var secretName = ValueReader.String(fields["name"], fields.PathOf("name"), context);
        if (string.IsNullOrEmpty(secretName))
        {
            context.Error(fields.Location, fields.PathOf("name"), DiagnosticCodes.MissingField, "a secret reference needs a 'name'");
            return null;
        }

        return new SecretReference { Location = fields.Location, Name = secretName, Namespace = ValueReader.String(fields["namespace"], fields.PathOf("namespace"), context) };
    }

    private static ListenerReference? ReadListener(MappingFields parent, ParseContext context)
    {
        var fields = MappingFields.Open(parent["listener"], parent.PathOf("listener"), context, "a listener", ListenerFields);
        if (fields is null)
        {
            return null;
        }

        context.NotEnforcedField("listener", parent.PathOf("listener"), "redirection to Envoy listeners needs an L7 proxy");
        var envoy = MappingFields.Open(fields["envoyConfig"], fields.PathOf("envoyConfig"), context, "an Envoy config reference", EnvoyConfigFields);
        var name = ValueReader.String(fields["name"], fields.PathOf("name"), context);
        var priority = ValueReader.Integer(fields["priority"], fields.PathOf("priority"), context, 0, 100);
        if (envoy is null)
        {
            context.Error(fields.Location, fields.PathOf("envoyConfig"), DiagnosticCodes.MissingField, "a listener needs an 'envoyConfig'");
            return null;
        }

        var kind = ValueReader.String(envoy["kind"], envoy.PathOf("kind"), context);
        var configName = ValueReader.String(envoy["name"], envoy.PathOf("name"), context);
        if (kind is not ("CiliumEnvoyConfig" or "CiliumClusterwideEnvoyConfig"))
        {
            context.Error(envoy.Has("kind") ? envoy["kind"]!.Location : envoy.Location, envoy.PathOf("kind"), DiagnosticCodes.InvalidValue,
                "envoyConfig.kind must be CiliumEnvoyConfig or CiliumClusterwideEnvoyConfig");
        }

        if (string.IsNullOrEmpty(configName))
        {
            context.Error(envoy.Location, envoy.PathOf("name"), DiagnosticCodes.MissingField, "envoyConfig needs a 'name'");
        }

        if (string.IsNullOrEmpty(name))
        {
            context.Error(fields.Location, fields.PathOf("name"), DiagnosticCodes.MissingField, "a listener needs a 'name'");
        }

        return new ListenerReference
        {
            Location = fields.Location,
            EnvoyConfigKind = kind ?? string.Empty,
            EnvoyConfigName = configName ?? string.Empty,
            Name = name ?? string.Empty,
            Priority = priority is null or 0 ? null : (int)priority,
        };
    }

    private static L7Rules? ReadL7(MappingFields parent, ParseContext context)
    {
        var fields = MappingFields.Open(parent["rules"], parent.PathOf("rules"), context, "L7 rules", L7Fields);
        if (fields is null)
        {
            return null;
        }

        var http = ValueReader.List(fields["http"], fields.PathOf("http"), context, (item, path) => ReadHttp(item, path, context));
        var kafka = ValueReader.List(fields["kafka"], fields.PathOf("kafka"), context, (item, path) => ReadKafka(item, path, context));
        var dns = PeerReader.FqdnList(fields["dns"], fields.PathOf("dns"), context);
        var l7proto = ValueReader.String(fields["l7proto"], fields.PathOf("l7proto"), context);
        var l7 = ValueReader.List<IReadOnlyDictionary<string, string>>(fields["l7"], fields.PathOf("l7"), context,
            (item, path) => ValueReader.StringMap(item, path, context));
        foreach (var (name, present) in new[] { ("http", http is not null), ("kafka", kafka is not null), ("dns", dns is not null), ("l7proto", l7proto is not null) })
        {
            if (present)
            {
                context.NotEnforcedField("rules." + name, fields.PathOf(name), "L7 rules need an L7 proxy; the port is allowed without L7 filtering");
            }
        }

        return new L7Rules { Location = fields.Location, Http = http, Kafka = kafka, Dns = dns, L7Proto = l7proto, L7 = l7 };
    }

    private static HttpRule? ReadHttp(SourceNode item, string path, ParseContext context)
    {
        var fields = PeerReader.OpenItem(item, path, context, "an HTTP rule", HttpFields);
        if (fields is null)
        {
            return null;
        }

        var matches = ValueReader.List(fields["headerMatches"], fields.PathOf("headerMatches"), context, (m, mPath) =>
        {
            var match = PeerReader.OpenItem(m, mPath, context, "a header match", HeaderMatchFields);
            if (match is null)
            {
                return null;
            }

            var name = ValueReader.String(match["name"], match.PathOf("name"), context);
            var mismatch = ValueReader.String(match["mismatch"], match.PathOf("mismatch"), context);
            if (string.IsNullOrEmpty(name))
            {
                context.Error(match.Location, match.PathOf("name"), DiagnosticCodes.MissingField, "a header match needs a 'name'");
            }

            if (mismatch is not (null or "" or "LOG" or "ADD" or "DELETE" or "REPLACE"))
            {
                context.Error(match["mismatch"]!.Location, match.PathOf("mismatch"), DiagnosticCodes.InvalidValue,
                    $"mismatch '{mismatch}' is not one of LOG, ADD, DELETE, REPLACE");
            }

            return new HeaderMatch
            {
                Location = match.Location,
                Name = name ?? string.Empty,
                Value = ValueReader.String(match["value"], match.PathOf("value"), context),
                Secret = ReadSecret(match, "secret", context),
                Mismatch = string.IsNullOrEmpty(mismatch) ? null : mismatch,
            };
        });

        return new HttpRule
        {
            Location = fields.Location,
            Path = ValueReader.String(fields["path"], fields.PathOf("path"), context),
            Method = ValueReader.String(fields["method"], fields.PathOf("method"), context),
            Host = ValueReader.String(fields["host"], fields.PathOf("host"), context),
            Headers = ValueReader.StringList(fields["headers"], fields.PathOf("headers"), context) ?? [],
            HeaderMatches = matches ?? [],
        };
    }

    private static KafkaRule? ReadKafka(SourceNode item, string path, ParseContext context)
    {
        var fields = PeerReader.OpenItem(item, path, context, "a Kafka rule", KafkaFields);
        if (fields is null)
        {
            return null;
        }

        var role = ValueReader.String(fields["role"], fields.PathOf("role"), context);
        var apiKey = ValueReader.String(fields["apiKey"], fields.PathOf("apiKey"), context);
        if (!string.IsNullOrEmpty(role) && !role.Equals("produce", StringComparison.OrdinalIgnoreCase) && !role.Equals("consume", StringComparison.OrdinalIgnoreCase))
        {
            context.Error(fields["role"]!.Location, fields.PathOf("role"), DiagnosticCodes.InvalidValue, $"Kafka role '{role}' is not 'produce' or 'consume'");
        }

        if (!string.IsNullOrEmpty(role) && !string.IsNullOrEmpty(apiKey))
        {
            context.Error(fields.KeyLocation("apiKey"), path, DiagnosticCodes.InvalidL7, "a Kafka rule takes 'role' or 'apiKey', not both");
        }

        return new KafkaRule
        {
            Location = fields.Location,
            Role = role,
            ApiKey = apiKey,
            ApiVersion = ValueReader.String(fields["apiVersion"], fields.PathOf("apiVersion"), context),
            ClientId = ValueReader.String(fields["clientID"], fields.PathOf("clientID"), context),
            Topic = ValueReader.String(fields["topic"], fields.PathOf("topic"), context),
        };
    }
}
