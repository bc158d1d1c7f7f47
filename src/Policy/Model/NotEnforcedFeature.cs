using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>
/// A field that was parsed and validated but whose effect is not enforced. The engine uses these to treat
/// the rules that carry them conservatively.
/// </summary>
/// <param name="Feature">The field name as written in policies, e.g. <c>toFQDNs</c>, <c>rules.http</c>.</param>
/// <param name="FieldPath">Path of the field inside the document.</param>
/// <param name="Location">Where the field's key is.</param>
/// <param name="RuleIndex">Index of the Cilium rule (in <see cref="PolicyDocument.Rules"/>) that holds it; -1 for document-level fields.</param>
public sealed record NotEnforcedFeature(string Feature, string FieldPath, SourceLocation Location, int RuleIndex);
