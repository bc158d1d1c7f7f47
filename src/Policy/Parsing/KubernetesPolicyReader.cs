using System.Globalization;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;
using Sluice.Policy.Validation;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Reads the <c>spec</c> of a <c>networking.k8s.io/v1</c> NetworkPolicy and applies the Kubernetes API
/// server's validation (pkg/apis/networking/validation): a peer is an ipBlock or selectors, ports are
/// TCP/UDP/SCTP with a port number 1..65535 or a name, endPort needs a numeric port and is not below it.
/// </summary>
internal static class KubernetesPolicyReader
{
    private static readonly string[] SpecFields = ["podSelector", "policyTypes", "ingress", "egress"];
    private static readonly string[] IngressFields = ["from", "ports"];
    private static readonly string[] EgressFields = ["to", "ports"];
    private static readonly string[] PeerFields = ["podSelector", "namespaceSelector", "ipBlock"];
    private static readonly string[] IpBlockFields = ["cidr", "except"];
    private static readonly string[] PortFields = ["protocol", "port", "endPort"];

    /// <summary>Reads a NetworkPolicy spec; null when it is missing or not a mapping.</summary>
    public static KubernetesNetworkPolicy? Read(SourceNode? specNode, string specPath, string name, string? policyNamespace, SourceLocation documentLocation, ParseContext context)
    {
        var spec = MappingFields.Open(specNode, specPath, context, "a NetworkPolicy spec", SpecFields);
        if (spec is null)
        {
            if (specNode is null || specNode is SourceScalar { IsNull: true })
            {
                context.Error(documentLocation, specPath, DiagnosticCodes.EmptyPolicy, "a NetworkPolicy needs a 'spec' with a 'podSelector'");
            }

            return null;
        }

        if (!spec.Contains("podSelector"))
        {
            context.Error(spec.Location, spec.PathOf("podSelector"), DiagnosticCodes.MissingField, "a NetworkPolicy needs a 'podSelector' ({} selects every pod of the namespace)");
        }

        var podSelector = spec.Contains("podSelector") && spec["podSelector"] is SourceScalar { IsNull: true }
            ? new EndpointSelector { Location = spec["podSelector"]!.Location }
            : SelectorReader.Read(spec["podSelector"], spec.PathOf("podSelector"), context);
        var types = ValueReader.List(spec["policyTypes"], spec.PathOf("policyTypes"), context, (item, path) =>
        {
            var text = ValueReader.ItemString(item, path, context);
            if (text is "Ingress" or "Egress")
            {
                return (object)(text == "Ingress" ? NetworkPolicyType.Ingress : NetworkPolicyType.Egress);
            }

            if (text is not null)
            {
                context.Error(item.Location, path, DiagnosticCodes.InvalidValue, $"policy type '{text}' is not Ingress or Egress");
            }

            return null;
        });

        var ingress = ValueReader.List(spec["ingress"], spec.PathOf("ingress"), context, (item, path) =>
        {
            var fields = PeerReader.OpenItem(item, path, context, "a NetworkPolicy ingress rule", IngressFields);
            return fields is null ? null : new NetworkPolicyIngressRule
            {
                Location = fields.Location,
                From = ReadPeers(fields, "from", context),
                Ports = ReadPorts(fields, context),
            };
        });
        var egress = ValueReader.List(spec["egress"], spec.PathOf("egress"), context, (item, path) =>
        {
            var fields = PeerReader.OpenItem(item, path, context, "a NetworkPolicy egress rule", EgressFields);
            return fields is null ? null : new NetworkPolicyEgressRule
            {
                Location = fields.Location,
                To = ReadPeers(fields, "to", context),
                Ports = ReadPorts(fields, context),
            };
        });

        return podSelector is null ? null : new KubernetesNetworkPolicy
        {
            Location = documentLocation,
            Name = name,
            Namespace = policyNamespace,
            PodSelector = podSelector,
            PolicyTypes = types?.Cast<NetworkPolicyType>().ToList(),
            Ingress = ingress,
            Egress = egress,
        };
    }

    private static List<NetworkPolicyPeer>? ReadPeers(MappingFields rule, string field, ParseContext context) =>
        ValueReader.List(rule[field], rule.PathOf(field), context, (item, path) =>
        {
            var fields = PeerReader.OpenItem(item, path, context, "a NetworkPolicy peer", PeerFields);
            if (fields is null)
            {
                return null;
            }

            var pods = SelectorReader.Read(fields["podSelector"], fields.PathOf("podSelector"), context);
            var namespaces = SelectorReader.Read(fields["namespaceSelector"], fields.PathOf("namespaceSelector"), context);
            var block = ReadIpBlock(fields, context);
            if (fields.Has("ipBlock") && (fields.Has("podSelector") || fields.Has("namespaceSelector")))
            {
                context.Error(fields.KeyLocation("ipBlock"), fields.PathOf("ipBlock"), DiagnosticCodes.CombinedPeers,
                    "ipBlock cannot be combined with podSelector or namespaceSelector in one peer");
            }
            else if (!fields.Has("ipBlock") && !fields.Has("podSelector") && !fields.Has("namespaceSelector"))
            {
                context.Error(fields.Location, path, DiagnosticCodes.MissingField, "a peer needs podSelector, namespaceSelector or ipBlock");
            }

            return new NetworkPolicyPeer { Location = fields.Location, PodSelector = pods, NamespaceSelector = namespaces, IpBlock = block };
        });

    private static IpBlock? ReadIpBlock(MappingFields peer, ParseContext context)
    {
        var fields = MappingFields.Open(peer["ipBlock"], peer.PathOf("ipBlock"), context, "an ipBlock", IpBlockFields);
        if (fields is null)
        {
            return null;
        }

        if (!fields.Has("cidr"))
        {
            context.Error(fields.Location, fields.PathOf("cidr"), DiagnosticCodes.MissingField, "an ipBlock needs a 'cidr'");
            return null;
        }

        var cidr = PeerReader.Prefix(fields["cidr"]!, fields.PathOf("cidr"), context, allowBareAddress: false);
        var except = ValueReader.List(fields["except"], fields.PathOf("except"), context,
            (item, path) => PeerReader.Prefix(item, path, context, allowBareAddress: false)) ?? [];
        if (cidr is null)
        {
            return null;
        }

        // Kubernetes requires each except to be a strict subset of cidr.
        foreach (var e in except.Where(e => !CidrText.Contains(cidr.Network, e.Network) || e.Network.PrefixLength == cidr.Network.PrefixLength))
        {
            context.Error(e.Location, fields.PathOf("except"), DiagnosticCodes.ExceptOutsideCidr, $"except prefix {e.Text} must be strictly inside cidr {cidr.Text}");
        }

        return new IpBlock { Location = fields.Location, Cidr = cidr, Except = except };
    }

    private static List<NetworkPolicyPort>? ReadPorts(MappingFields rule, ParseContext context) =>
        ValueReader.List(rule["ports"], rule.PathOf("ports"), context, (item, path) =>
        {
            var fields = PeerReader.OpenItem(item, path, context, "a NetworkPolicy port", PortFields);
            if (fields is null)
            {
                return null;
            }

            var protocolText = ValueReader.String(fields["protocol"], fields.PathOf("protocol"), context);
            L4Protocol protocol;
            switch (protocolText)
            {
                case null or "TCP":
                    protocol = L4Protocol.TCP;
                    break;
                case "UDP":
                    protocol = L4Protocol.UDP;
                    break;
                case "SCTP":
                    protocol = L4Protocol.SCTP;
                    break;
                default:
                    context.Error(fields["protocol"]!.Location, fields.PathOf("protocol"), DiagnosticCodes.InvalidProtocol,
                        $"protocol '{protocolText}' is not TCP, UDP or SCTP");
                    return null;
            }

            var port = ReadPortValue(fields, context, out var ok);
            var endPort = ValueReader.Integer(fields["endPort"], fields.PathOf("endPort"), context, 1, 65535);
            if (endPort is { } end)
            {
                var endLocation = fields.KeyLocation("endPort");
                if (port is null || !port.All(char.IsAsciiDigit))
                {
                    context.Error(endLocation, fields.PathOf("endPort"), DiagnosticCodes.InvalidPortRange, "endPort needs a numeric port");
                }
                else if (end < int.Parse(port, CultureInfo.InvariantCulture))
                {
                    context.Error(endLocation, fields.PathOf("endPort"), DiagnosticCodes.InvalidPortRange, $"endPort {end} is lower than port {port}");
                }
            }

            return ok ? new NetworkPolicyPort { Location = fields.Location, Protocol = protocol, Port = port, EndPort = (int?)endPort } : null;
        });

    private static string? ReadPortValue(MappingFields fields, ParseContext context, out bool ok)
    {
        ok = true;
        var node = fields["port"];
        if (node is null || node is SourceScalar { IsNull: true })
        {
            return null;
        }

        if (node is not SourceScalar scalar)
        {
            context.Error(node.Location, fields.PathOf("port"), DiagnosticCodes.WrongType, $"expected a port number or name, found {node.ShapeName}");
            ok = false;
            return null;
        }

        // IntOrString: an unquoted number is a port number; text is a port name.
        if (scalar.Kind is ScalarKind.Plain or ScalarKind.Number && scalar.Value.All(char.IsAsciiDigit) && scalar.Value.Length > 0)
        {
            if (scalar.Value.Length > 5 || int.Parse(scalar.Value, CultureInfo.InvariantCulture) is < 1 or > 65535)
            {
                context.Error(node.Location, fields.PathOf("port"), DiagnosticCodes.InvalidPort, $"port {scalar.Value} is outside 1..65535");
                ok = false;
            }

            return scalar.Value.TrimStart('0');
        }

        if (!PortNames.IsServiceName(scalar.Value) || scalar.Value.Any(char.IsAsciiLetterUpper))
        {
            context.Error(node.Location, fields.PathOf("port"), DiagnosticCodes.InvalidPort,
                $"'{scalar.Value}' is not a port number or a valid port name (1-15 lower-case letters, digits and single hyphens, with a letter)"
                + (scalar.Value.Length > 0 && scalar.Value.All(char.IsAsciiDigit) ? "; a quoted number is a port name in Kubernetes, write the number unquoted" : string.Empty));
            ok = false;
        }

        return scalar.Value;
    }
}
