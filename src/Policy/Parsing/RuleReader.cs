using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>Reads one Cilium <c>Rule</c> and its ingress/egress sections (the schema of pkg/policy/api).</summary>
internal static class RuleReader
{
    /// <summary>The fields of a Cilium rule, for hints when one is written at the wrong level.</summary>
    public static IReadOnlyList<string> FieldNames => RuleFields;

    private static readonly string[] RuleFields =
        ["endpointSelector", "nodeSelector", "ingress", "ingressDeny", "egress", "egressDeny", "labels", "enableDefaultDeny", "description", "log"];

    private static readonly string[] IngressFields =
        ["fromEndpoints", "fromRequires", "fromCIDR", "fromCIDRSet", "fromEntities", "fromGroups", "fromNodes", "toPorts", "icmps", "authentication"];

    private static readonly string[] IngressDenyFields =
        ["fromEndpoints", "fromRequires", "fromCIDR", "fromCIDRSet", "fromEntities", "fromGroups", "fromNodes", "toPorts", "icmps"];

    private static readonly string[] EgressFields =
        ["toEndpoints", "toRequires", "toCIDR", "toCIDRSet", "toEntities", "toServices", "toGroups", "toNodes", "toPorts", "toFQDNs", "icmps", "authentication"];

    private static readonly string[] EgressDenyFields =
        ["toEndpoints", "toRequires", "toCIDR", "toCIDRSet", "toEntities", "toServices", "toGroups", "toNodes", "toPorts", "icmps"];

    private static readonly string[] DefaultDenyFields = ["ingress", "egress"];
    private static readonly string[] LogFields = ["value"];
    private static readonly string[] LabelFields = ["key", "value", "source"];
    private static readonly string[] AuthenticationFields = ["mode"];

    /// <summary>Reads a rule at <paramref name="path"/>; null when the node is not a mapping.</summary>
    public static PolicyRule? Read(SourceNode node, string path, int index, ParseContext context)
    {
        context.RuleIndex = index;
        if (node is SourceScalar { IsNull: true })
        {
            context.Error(node.Location, path, DiagnosticCodes.WrongType, "expected a rule (a mapping), found null");
            return null;
        }

        var fields = MappingFields.Open(node, path, context, "a rule", RuleFields);
        if (fields is null)
        {
            return null;
        }

        var nodeSelector = SelectorReader.Read(fields["nodeSelector"], fields.PathOf("nodeSelector"), context);
        context.InHostPolicy = nodeSelector is not null;
        if (nodeSelector is not null)
        {
            context.NotEnforcedField("nodeSelector", fields.PathOf("nodeSelector"), "host policies are not applied; Sluice enforces on endpoints only");
        }

        var log = MappingFields.Open(fields["log"], fields.PathOf("log"), context, "a log config", LogFields);
        LogConfig? logConfig = null;
        if (log is not null)
        {
            var value = ValueReader.String(log["value"], log.PathOf("value"), context) ?? string.Empty;
            if (value.Length > 32 || value.Any(c => c < ' ' || c > '~'))
            {
                context.Error(log.Has("value") ? log["value"]!.Location : log.Location, log.PathOf("value"), DiagnosticCodes.InvalidValue,
                    "log.value must be at most 32 printable ASCII characters");
            }

            logConfig = new LogConfig { Location = log.Location, Value = value };
            context.NotEnforcedField("log", fields.PathOf("log"), "policy log values are not copied into flows yet");
        }

        var defaultDeny = MappingFields.Open(fields["enableDefaultDeny"], fields.PathOf("enableDefaultDeny"), context, "enableDefaultDeny", DefaultDenyFields);
        return new PolicyRule
        {
            Location = fields.Location,
            FieldPath = path,
            Index = index,
            EndpointSelector = SelectorReader.Read(fields["endpointSelector"], fields.PathOf("endpointSelector"), context),
            NodeSelector = nodeSelector,
            Ingress = ValueReader.List(fields["ingress"], fields.PathOf("ingress"), context, (item, p) => ReadIngress(item, p, context, deny: false)),
            IngressDeny = ValueReader.List(fields["ingressDeny"], fields.PathOf("ingressDeny"), context, (item, p) => ReadIngress(item, p, context, deny: true)),
            Egress = ValueReader.List(fields["egress"], fields.PathOf("egress"), context, (item, p) => ReadEgress(item, p, context, deny: false)),
            EgressDeny = ValueReader.List(fields["egressDeny"], fields.PathOf("egressDeny"), context, (item, p) => ReadEgress(item, p, context, deny: true)),
            EnableDefaultDeny = defaultDeny is null ? null : new DefaultDenyConfig
            {
                Location = defaultDeny.Location,
                Ingress = ValueReader.Bool(defaultDeny["ingress"], defaultDeny.PathOf("ingress"), context),
                Egress = ValueReader.Bool(defaultDeny["egress"], defaultDeny.PathOf("egress"), context),
            },
            Description = ValueReader.String(fields["description"], fields.PathOf("description"), context),
            Labels = ValueReader.List(fields["labels"], fields.PathOf("labels"), context, (item, p) => ReadLabel(item, p, context)) ?? [],
            Log = logConfig,
        };
    }

    private static RuleLabel? ReadLabel(SourceNode item, string path, ParseContext context)
    {
        // Cilium's label type also reads the compact string form "source:key=value" (pkg/labels ParseLabel):
        // the source is what precedes the first ':' when that comes before any '='.
        if (item is SourceScalar { IsNull: false } scalar)
        {
            var text = scalar.Value;
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var hasSource = colon >= 0 && (equals < 0 || colon < equals);
            var source = hasSource ? text[..colon] : string.Empty;
            var rest = hasSource ? text[(colon + 1)..] : text;
            var split = rest.IndexOf('=', StringComparison.Ordinal);
            var labelKey = split < 0 ? rest : rest[..split];
            if (labelKey.Length == 0)
            {
                context.Error(item.Location, path, DiagnosticCodes.MissingField, $"label '{text}' has no key");
                return null;
            }

            return new RuleLabel { Location = item.Location, Key = labelKey, Value = split < 0 ? string.Empty : rest[(split + 1)..], Source = source };
        }

        var fields = PeerReader.OpenItem(item, path, context, "a label", LabelFields);
        if (fields is null)
        {
            return null;
        }

        var key = ValueReader.String(fields["key"], fields.PathOf("key"), context);
        if (string.IsNullOrEmpty(key))
        {
            context.Error(fields.Location, fields.PathOf("key"), DiagnosticCodes.MissingField, "a label needs a non-empty 'key'");
            return null;
        }

        return new RuleLabel
        {
            Location = fields.Location,
            Key = key,
            Value = ValueReader.String(fields["value"], fields.PathOf("value"), context) ?? string.Empty,
            Source = ValueReader.String(fields["source"], fields.PathOf("source"), context) ?? string.Empty,
        };
    }

    private static IngressRule? ReadIngress(SourceNode item, string path, ParseContext context, bool deny)
    {
        var fields = PeerReader.OpenItem(item, path, context, deny ? "an ingressDeny rule" : "an ingress rule", deny ? IngressDenyFields : IngressFields);
        if (fields is null)
        {
            return null;
        }

        var rule = new IngressRule
        {
            Location = fields.Location,
            FieldPath = path,
            IsDeny = deny,
            FromEndpoints = SelectorReader.ReadList(fields["fromEndpoints"], fields.PathOf("fromEndpoints"), context),
            FromRequires = SelectorReader.ReadList(fields["fromRequires"], fields.PathOf("fromRequires"), context),
            FromCIDR = PeerReader.CidrList(fields["fromCIDR"], fields.PathOf("fromCIDR"), context),
            FromCIDRSet = PeerReader.CidrRuleList(fields["fromCIDRSet"], fields.PathOf("fromCIDRSet"), context),
            FromEntities = PeerReader.EntityList(fields["fromEntities"], fields.PathOf("fromEntities"), context),
            FromNodes = SelectorReader.ReadList(fields["fromNodes"], fields.PathOf("fromNodes"), context),
            FromGroups = PeerReader.GroupList(fields["fromGroups"], fields.PathOf("fromGroups"), context),
            ToPorts = PortRuleReader.ReadList(fields["toPorts"], fields.PathOf("toPorts"), context, deny),
            ICMPs = PeerReader.IcmpList(fields["icmps"], fields.PathOf("icmps"), context),
            Authentication = ReadAuthentication(fields, context),
        };
        ReportCommonNotEnforced(fields, context, "fromRequires", "fromNodes", "fromGroups");
        return rule;
    }

    private static EgressRule? ReadEgress(SourceNode item, string path, ParseContext context, bool deny)
    {
        var fields = PeerReader.OpenItem(item, path, context, deny ? "an egressDeny rule" : "an egress rule", deny ? EgressDenyFields : EgressFields);
        if (fields is null)
        {
            return null;
        }

        var rule = new EgressRule
        {
            Location = fields.Location,
            FieldPath = path,
            IsDeny = deny,
            ToEndpoints = SelectorReader.ReadList(fields["toEndpoints"], fields.PathOf("toEndpoints"), context),
            ToRequires = SelectorReader.ReadList(fields["toRequires"], fields.PathOf("toRequires"), context),
            ToCIDR = PeerReader.CidrList(fields["toCIDR"], fields.PathOf("toCIDR"), context),
            ToCIDRSet = PeerReader.CidrRuleList(fields["toCIDRSet"], fields.PathOf("toCIDRSet"), context),
            ToEntities = PeerReader.EntityList(fields["toEntities"], fields.PathOf("toEntities"), context),
            ToNodes = SelectorReader.ReadList(fields["toNodes"], fields.PathOf("toNodes"), context),
            ToGroups = PeerReader.GroupList(fields["toGroups"], fields.PathOf("toGroups"), context),
            ToServices = PeerReader.ServiceList(fields["toServices"], fields.PathOf("toServices"), context),
            ToFQDNs = PeerReader.FqdnList(fields["toFQDNs"], fields.PathOf("toFQDNs"), context),
            ToPorts = PortRuleReader.ReadList(fields["toPorts"], fields.PathOf("toPorts"), context, deny),
            ICMPs = PeerReader.IcmpList(fields["icmps"], fields.PathOf("icmps"), context),
            Authentication = ReadAuthentication(fields, context),
        };
        ReportCommonNotEnforced(fields, context, "toRequires", "toNodes", "toGroups");
        if (fields.Has("toServices"))
        {
            context.NotEnforcedField("toServices", fields.PathOf("toServices"), "Kubernetes services are not a policy source yet");
        }

        if (fields.Has("toFQDNs"))
        {
            context.NotEnforcedField("toFQDNs", fields.PathOf("toFQDNs"), "DNS-name peers need a DNS proxy");
        }

        return rule;
    }

    private static void ReportCommonNotEnforced(MappingFields fields, ParseContext context, string requires, string nodes, string groups)
    {
        // Deprecated in Cilium 1.17 and removed in 1.19 (the CRD allows no items). Rejected rather than
        // ignored: ignoring a requirement would silently widen what the rule allows.
        if (fields[requires] is SourceSequence { Items.Count: > 0 })
        {
            context.Error(fields.KeyLocation(requires), fields.PathOf(requires), DiagnosticCodes.Deprecated,
                $"{requires} was removed in Cilium 1.19; put the required labels into the rule's peer selectors instead");
        }

        if (fields.Has(nodes))
        {
            context.NotEnforcedField(nodes, fields.PathOf(nodes), "node-label peers need node identities, which Sluice does not have yet");
        }

        if (fields.Has(groups))
        {
            context.NotEnforcedField(groups, fields.PathOf(groups), "cloud-provider groups are not resolved");
        }
    }

    private static Authentication? ReadAuthentication(MappingFields parent, ParseContext context)
    {
        var fields = MappingFields.Open(parent["authentication"], parent.PathOf("authentication"), context, "authentication", AuthenticationFields);
        if (fields is null)
        {
            return null;
        }

        var modeText = ValueReader.String(fields["mode"], fields.PathOf("mode"), context);
        AuthenticationMode? mode = modeText switch
        {
            "disabled" => AuthenticationMode.Disabled,
            "required" => AuthenticationMode.Required,
            "test-always-fail" => AuthenticationMode.TestAlwaysFail,
            _ => null,
        };
        if (mode is null)
        {
            context.Error(fields.Has("mode") ? fields["mode"]!.Location : fields.Location, fields.PathOf("mode"),
                modeText is null ? DiagnosticCodes.MissingField : DiagnosticCodes.InvalidValue,
                "authentication.mode must be one of disabled, required, test-always-fail");
            return null;
        }

        context.NotEnforcedField("authentication", parent.PathOf("authentication"), "mutual authentication is not performed");
        return new Authentication { Location = fields.Location, Mode = mode.Value };
    }
}
