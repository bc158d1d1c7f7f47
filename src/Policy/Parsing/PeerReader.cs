using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;
using Sluice.Policy.Validation;

namespace Sluice.Policy.Parsing;

/// <summary>Reads peer lists other than endpoint selectors: CIDRs, CIDR sets, entities, services, groups, FQDNs, ICMP types.</summary>
internal static class PeerReader
{
    private static readonly string[] CidrRuleFields = ["cidr", "cidrGroupRef", "cidrGroupSelector", "except"];
    private static readonly string[] ServiceFields = ["k8sService", "k8sServiceSelector"];
    private static readonly string[] ServiceNameFields = ["serviceName", "namespace"];
    private static readonly string[] ServiceSelectorFields = ["selector", "namespace"];
    private static readonly string[] GroupFields = ["aws"];
    private static readonly string[] AwsFields = ["labels", "securityGroupsIds", "securityGroupsNames", "region"];
    private static readonly string[] FqdnFields = ["matchName", "matchPattern"];
    private static readonly string[] IcmpRuleFields = ["fields"];
    private static readonly string[] IcmpFieldFields = ["family", "type"];

    /// <summary>Most ICMP fields per ICMP rule (Cilium's maxICMPFields).</summary>
    public const int MaxIcmpFields = 40;

    /// <summary>Reads one prefix value; <paramref name="allowBareAddress"/> for fromCIDR/toCIDR.</summary>
    public static CidrPrefix? Prefix(SourceNode node, string path, ParseContext context, bool allowBareAddress)
    {
        if (ValueReader.ItemString(node, path, context) is not { } text)
        {
            return null;
        }

        switch (CidrText.TryParse(text, allowBareAddress, out var network, out var error))
        {
            case CidrText.Result.Invalid:
                context.Error(node.Location, path, DiagnosticCodes.InvalidCidr, error);
                return null;
            case CidrText.Result.HostBitsCleared:
                context.Warning(node.Location, path, DiagnosticCodes.CidrHostBits,
                    $"'{text}' has bits set beyond its prefix length; it is read as {network}");
                break;
        }

        return new CidrPrefix { Location = node.Location, Text = text, Network = network };
    }

    /// <summary>Reads a fromCIDR/toCIDR list.</summary>
    public static List<CidrPrefix>? CidrList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) => Prefix(item, itemPath, context, allowBareAddress: true));

    /// <summary>Reads a fromCIDRSet/toCIDRSet list.</summary>
    public static List<CidrRule>? CidrRuleList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) => CidrRule(item, itemPath, context));

    private static CidrRule? CidrRule(SourceNode item, string path, ParseContext context)
    {
        var fields = OpenItem(item, path, context, "a CIDR rule", CidrRuleFields);
        if (fields is null)
        {
            return null;
        }

        var cidr = fields.Has("cidr") ? Prefix(fields["cidr"]!, fields.PathOf("cidr"), context, allowBareAddress: false) : null;
        var except = ValueReader.List(fields["except"], fields.PathOf("except"), context,
            (e, ePath) => Prefix(e, ePath, context, allowBareAddress: false)) ?? [];
        var groupRef = ValueReader.String(fields["cidrGroupRef"], fields.PathOf("cidrGroupRef"), context);
        var groupSelector = SelectorReader.Read(fields["cidrGroupSelector"], fields.PathOf("cidrGroupSelector"), context);

        var set = new[] { fields.Has("cidr"), !string.IsNullOrEmpty(groupRef), fields.Has("cidrGroupSelector") }.Count(b => b);
        if (set != 1)
        {
            context.Error(fields.Location, path, DiagnosticCodes.MissingField, set == 0
                ? "a CIDR rule needs one of 'cidr', 'cidrGroupRef' or 'cidrGroupSelector'"
                : "a CIDR rule takes only one of 'cidr', 'cidrGroupRef' and 'cidrGroupSelector'");
        }

        if (cidr is not null)
        {
            foreach (var e in except.Where(e => !CidrText.Contains(cidr.Network, e.Network)))
            {
                context.Error(e.Location, path + ".except", DiagnosticCodes.ExceptOutsideCidr,
                    $"except prefix {e.Text} is not contained in cidr {cidr.Text}");
            }
        }
        else if (except.Count > 0 && set == 1)
        {
            context.Error(fields.KeyLocation("except"), fields.PathOf("except"), DiagnosticCodes.InvalidValue,
                "'except' is only supported together with 'cidr'");
        }

        if (!string.IsNullOrEmpty(groupRef))
        {
            context.NotEnforcedField("cidrGroupRef", fields.PathOf("cidrGroupRef"), "CiliumCIDRGroup objects are not read, so the rule matches no prefix");
        }

        if (groupSelector is not null)
        {
            context.NotEnforcedField("cidrGroupSelector", fields.PathOf("cidrGroupSelector"), "CiliumCIDRGroup objects are not read, so the rule matches no prefix");
        }

        return new CidrRule { Location = fields.Location, Cidr = cidr, Except = except, CidrGroupRef = groupRef, CidrGroupSelector = groupSelector };
    }

    /// <summary>Reads a fromEntities/toEntities list.</summary>
    public static List<EntityReference>? EntityList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) =>
        {
            if (ValueReader.ItemString(item, itemPath, context) is not { } name)
            {
                return null;
            }

            if (!EntityNames.TryParse(name, out var entity))
            {
                var suggestion = FieldNameSuggester.Suggest(name, EntityNames.Names);
                context.Error(item.Location, itemPath, DiagnosticCodes.UnknownEntity,
                    $"unknown entity '{name}'" + (suggestion is null
                        ? $"; entities are {string.Join(", ", EntityNames.Names)}"
                        : $"; did you mean '{suggestion}'?"));
                return null;
            }

            return new EntityReference { Location = item.Location, Entity = entity, Name = name };
        });

    /// <summary>Reads a toServices list.</summary>
    public static List<ServiceSelector>? ServiceList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) =>
        {
            var fields = OpenItem(item, itemPath, context, "a service selector", ServiceFields);
            if (fields is null)
            {
                return null;
            }

            var byName = MappingFields.Open(fields["k8sService"], fields.PathOf("k8sService"), context, "k8sService", ServiceNameFields);
            var bySelector = MappingFields.Open(fields["k8sServiceSelector"], fields.PathOf("k8sServiceSelector"), context, "k8sServiceSelector", ServiceSelectorFields);
            if (byName is null && bySelector is null)
            {
                // Cilium accepts an entry naming no service; it selects nothing (and toServices is not enforced anyway).
                return new ServiceSelector { Location = fields.Location };
            }

            if (byName is not null && bySelector is not null)
            {
                context.Error(fields.Location, itemPath, DiagnosticCodes.InvalidValue, "use either 'k8sService' or 'k8sServiceSelector', not both");
            }

            if (byName is not null)
            {
                var name = ValueReader.String(byName["serviceName"], byName.PathOf("serviceName"), context);
                if (string.IsNullOrEmpty(name))
                {
                    context.Error(byName.Location, byName.PathOf("serviceName"), DiagnosticCodes.MissingField, "k8sService needs a 'serviceName'");
                }

                return new ServiceSelector
                {
                    Location = fields.Location,
                    ServiceName = name,
                    Namespace = ValueReader.String(byName["namespace"], byName.PathOf("namespace"), context),
                };
            }

            var selector = SelectorReader.Read(bySelector!["selector"], bySelector.PathOf("selector"), context);
            if (!bySelector.Has("selector"))
            {
                context.Error(bySelector.Location, bySelector.PathOf("selector"), DiagnosticCodes.MissingField, "k8sServiceSelector needs a 'selector'");
            }

            return new ServiceSelector
            {
                Location = fields.Location,
                Selector = selector,
                Namespace = ValueReader.String(bySelector["namespace"], bySelector.PathOf("namespace"), context),
            };
        });

    /// <summary>Reads a fromGroups/toGroups list.</summary>
    public static List<CloudGroup>? GroupList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) =>
        {
            var fields = OpenItem(item, itemPath, context, "a group", GroupFields);
            if (fields is null)
            {
                return null;
            }

            var aws = MappingFields.Open(fields["aws"], fields.PathOf("aws"), context, "an AWS group", AwsFields);
            if (aws is null)
            {
                context.Error(fields.Location, fields.PathOf("aws"), DiagnosticCodes.MissingField, "a group needs a provider; only 'aws' exists");
                return null;
            }

            return new CloudGroup
            {
                Location = fields.Location,
                AwsLabels = ValueReader.StringMap(aws["labels"], aws.PathOf("labels"), context) ?? [],
                AwsSecurityGroupsIds = ValueReader.StringList(aws["securityGroupsIds"], aws.PathOf("securityGroupsIds"), context) ?? [],
                AwsSecurityGroupsNames = ValueReader.StringList(aws["securityGroupsNames"], aws.PathOf("securityGroupsNames"), context) ?? [],
                AwsRegion = ValueReader.String(aws["region"], aws.PathOf("region"), context),
            };
        });

    /// <summary>Reads a toFQDNs list or a rules.dns list: each entry has exactly one of matchName/matchPattern.</summary>
    public static List<FqdnSelector>? FqdnList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) =>
        {
            var fields = OpenItem(item, itemPath, context, "a DNS name selector", FqdnFields);
            if (fields is null)
            {
                return null;
            }

            var name = ValueReader.String(fields["matchName"], fields.PathOf("matchName"), context);
            var pattern = ValueReader.String(fields["matchPattern"], fields.PathOf("matchPattern"), context);
            if (string.IsNullOrEmpty(name) == string.IsNullOrEmpty(pattern))
            {
                context.Error(fields.Location, itemPath, DiagnosticCodes.MissingField, string.IsNullOrEmpty(name)
                    ? "a DNS name selector needs one of 'matchName' or 'matchPattern'"
                    : "a DNS name selector takes only one of 'matchName' and 'matchPattern'");
            }

            CheckDnsName(fields, "matchName", name, allowWildcard: false, context);
            CheckDnsName(fields, "matchPattern", pattern, allowWildcard: true, context);
            return new FqdnSelector { Location = fields.Location, MatchName = name, MatchPattern = pattern };
        });

    /// <summary>
    /// Cilium's CRD patterns for DNS names: letters, digits, '-', '_' (and '*' in patterns), labels separated
    /// by single dots, at most 255 characters. Checked by hand rather than with the upstream regular
    /// expression, whose nested quantifiers backtrack exponentially on hostile input.
    /// </summary>
    private static void CheckDnsName(MappingFields fields, string field, string? value, bool allowWildcard, ParseContext context)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var valid = value.Length <= 255 && value[0] != '.' && !value.Contains("..", StringComparison.Ordinal)
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' || (allowWildcard && c == '*'));
        if (!valid)
        {
            context.Error(fields[field]!.Location, fields.PathOf(field), DiagnosticCodes.InvalidValue,
                $"'{value}' is not a valid DNS {(allowWildcard ? "pattern" : "name")} (letters, digits, '-', '_'{(allowWildcard ? ", '*'" : string.Empty)} in dot-separated labels, at most 255 characters)");
        }
    }

    /// <summary>Reads an icmps list.</summary>
    public static List<IcmpRule>? IcmpList(SourceNode? node, string path, ParseContext context) =>
        ValueReader.List(node, path, context, (item, itemPath) =>
        {
            var fields = OpenItem(item, itemPath, context, "an ICMP rule", IcmpRuleFields);
            if (fields is null)
            {
                return null;
            }

            var list = ValueReader.List(fields["fields"], fields.PathOf("fields"), context,
                (f, fPath) => IcmpField(f, fPath, context)) ?? [];
            if (list.Count > MaxIcmpFields)
            {
                context.Error(fields.KeyLocation("fields"), fields.PathOf("fields"), DiagnosticCodes.TooManyItems,
                    $"{list.Count} ICMP fields in one rule; the maximum is {MaxIcmpFields}");
            }

            return new IcmpRule { Location = fields.Location, Fields = list };
        });

    private static IcmpField? IcmpField(SourceNode item, string path, ParseContext context)
    {
        var fields = OpenItem(item, path, context, "an ICMP field", IcmpFieldFields);
        if (fields is null)
        {
            return null;
        }

        var familyText = ValueReader.String(fields["family"], fields.PathOf("family"), context);
        var family = IpFamily.IPv4;
        if (familyText is "IPv6")
        {
            family = IpFamily.IPv6;
        }
        else if (familyText is not (null or "" or "IPv4"))
        {
            context.Error(fields["family"]!.Location, fields.PathOf("family"), DiagnosticCodes.InvalidIcmp,
                $"family '{familyText}' is not IPv4 or IPv6");
            return null;
        }

        var typeNode = fields["type"];
        var typePath = fields.PathOf("type");
        if (typeNode is null || typeNode is SourceScalar { IsNull: true })
        {
            context.Error(fields.Location, typePath, DiagnosticCodes.MissingField, "an ICMP field needs a 'type' (a number 0..255 or a type name)");
            return null;
        }

        if (ValueReader.String(typeNode, typePath, context) is not { } typeText)
        {
            return null;
        }

        if (typeText.Length > 0 && typeText.All(char.IsAsciiDigit))
        {
            if (typeText.Length > 3 || int.Parse(typeText, System.Globalization.CultureInfo.InvariantCulture) > 255)
            {
                context.Error(typeNode.Location, typePath, DiagnosticCodes.InvalidIcmp, $"ICMP type {typeText} is outside 0..255");
                return null;
            }

            return new IcmpField { Location = fields.Location, Family = family, Type = byte.Parse(typeText, System.Globalization.CultureInfo.InvariantCulture), TypeText = typeText };
        }

        if (!IcmpTypeNames.TryParse(family, typeText, out var type))
        {
            var suggestion = FieldNameSuggester.Suggest(typeText, IcmpTypeNames.NamesFor(family));
            context.Error(typeNode.Location, typePath, DiagnosticCodes.InvalidIcmp,
                $"'{typeText}' is not an {(family == IpFamily.IPv4 ? "ICMP (IPv4)" : "ICMPv6")} type name" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
            return null;
        }

        return new IcmpField { Location = fields.Location, Family = family, Type = type, TypeText = typeText };
    }

    /// <summary>Opens a list item that must be a mapping; a null item is an error (Cilium has no null entries).</summary>
    public static MappingFields? OpenItem(SourceNode item, string path, ParseContext context, string what, IReadOnlyList<string> known)
    {
        if (item is SourceScalar { IsNull: true })
        {
            context.Error(item.Location, path, DiagnosticCodes.WrongType, $"expected {what} (a mapping), found null");
            return null;
        }

        return MappingFields.Open(item, path, context, what, known);
    }
}
