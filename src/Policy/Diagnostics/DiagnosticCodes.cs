namespace Sluice.Policy.Diagnostics;

/// <summary>
/// Stable codes carried by <see cref="Diagnostic.Code"/>. Tools and tests match on these rather than on
/// message text, which may be reworded.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The file could not be read (missing, permission denied, not UTF-8 text).</summary>
    public const string FileUnreadable = "file-unreadable";

    /// <summary>YAML or JSON syntax error; the location is where the scanner stopped.</summary>
    public const string Syntax = "syntax";

    /// <summary>A mapping holds the same key twice.</summary>
    public const string DuplicateKey = "duplicate-key";

    /// <summary>A field name that the schema does not define.</summary>
    public const string UnknownField = "unknown-field";

    /// <summary>A field name that matches a known field only when case is ignored; accepted as that field.</summary>
    public const string FieldNameCase = "field-name-case";

    /// <summary>A value of the wrong shape (scalar where a list is expected, text where a number is expected, …).</summary>
    public const string WrongType = "wrong-type";

    /// <summary>A required field is absent or empty.</summary>
    public const string MissingField = "missing-field";

    /// <summary>A value outside its allowed set or range that no more specific code describes.</summary>
    public const string InvalidValue = "invalid-value";

    /// <summary>A policy document with neither <c>spec</c> nor <c>specs</c>, or a rule with no ingress/egress section.</summary>
    public const string EmptyPolicy = "empty-policy";

    /// <summary>Neither or both of endpointSelector / nodeSelector are set.</summary>
    public const string SubjectSelector = "subject-selector";

    /// <summary><c>nodeSelector</c> used outside a CiliumClusterwideNetworkPolicy.</summary>
    public const string NodeSelectorNotClusterwide = "node-selector-not-clusterwide";

    /// <summary>Two peer kinds (e.g. toEndpoints and toCIDR) in one rule.</summary>
    public const string CombinedPeers = "combined-peers";

    /// <summary><c>icmps</c> and <c>toPorts</c> in the same rule.</summary>
    public const string IcmpWithToPorts = "icmp-with-toports";

    /// <summary>More than 40 ports in one port rule, or more than 40 ICMP fields in one ICMP rule.</summary>
    public const string TooManyItems = "too-many-items";

    /// <summary>A port that is neither a number in 0..65535 nor a valid port name, or a missing port.</summary>
    public const string InvalidPort = "invalid-port";

    /// <summary><c>endPort</c> below <c>port</c>, out of range, or combined with a named port.</summary>
    public const string InvalidPortRange = "invalid-port-range";

    /// <summary>An unknown or misplaced protocol name.</summary>
    public const string InvalidProtocol = "invalid-protocol";

    /// <summary>A prefix that does not parse as address/length.</summary>
    public const string InvalidCidr = "invalid-cidr";

    /// <summary>An <c>except</c> prefix not contained in its <c>cidr</c>.</summary>
    public const string ExceptOutsideCidr = "except-outside-cidr";

    /// <summary>A prefix whose address has bits set beyond the prefix length; accepted and masked.</summary>
    public const string CidrHostBits = "cidr-host-bits";

    /// <summary>An entity name that Cilium does not define.</summary>
    public const string UnknownEntity = "unknown-entity";

    /// <summary>An ICMP type name or number that does not exist for its family, or a bad family.</summary>
    public const string InvalidIcmp = "invalid-icmp";

    /// <summary>A label selector with a bad operator, values where none are allowed, or none where required.</summary>
    public const string InvalidSelector = "invalid-selector";

    /// <summary>An L7 / TLS / listener construction that Cilium rejects.</summary>
    public const string InvalidL7 = "invalid-l7";

    /// <summary>A field that is parsed and checked but whose effect Sluice does not enforce yet.</summary>
    public const string NotEnforced = "not-enforced";

    /// <summary>A field Cilium has removed (fromRequires, toRequires).</summary>
    public const string Deprecated = "deprecated";

    /// <summary>A namespaced policy whose endpointSelector names another namespace; the policy's own namespace wins.</summary>
    public const string NamespaceOverridden = "namespace-overridden";

    /// <summary>A document that is not a policy (Pod, Service, CiliumEnvoyConfig, …) and was skipped.</summary>
    public const string SkippedDocument = "skipped-document";

    /// <summary>A policy kind with an apiVersion Sluice does not read.</summary>
    public const string UnsupportedApiVersion = "unsupported-api-version";

    /// <summary>Input beyond a safety limit (nesting depth, alias expansion, document size).</summary>
    public const string LimitExceeded = "limit-exceeded";
}
