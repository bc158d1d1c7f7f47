using Sluice.Policy.Labels;
using Sluice.Policy.Model;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>
/// How peer selectors of one policy are scoped (reference §2.5): a CNP's peer selectors get the policy's
/// namespace unless they name a namespace, namespace labels or reserved labels themselves; a CCNP's get an
/// Exists requirement on the namespace label (so <c>{}</c> means "every pod", not world or host) unless the
/// rule targets init endpoints; bare rule lists (Cilium's REST API form) are not scoped.
/// </summary>
internal readonly record struct PeerScope(PolicyKind Kind, string? Namespace, bool SubjectTargetsInit)
{
    public LabelSelector Inject(LabelSelector selector)
    {
        if (Kind is PolicyKind.RuleList or PolicyKind.KubernetesNetworkPolicy || NamesItsScope(selector))
        {
            return selector;
        }

        if (Kind == PolicyKind.CiliumNetworkPolicy && Namespace is not null)
        {
            return selector.With(SelectorTranslation.NamespaceIs(Namespace));
        }

        return SubjectTargetsInit ? selector : selector.With(SelectorTranslation.AnyNamespace);
    }

    private static bool NamesItsScope(LabelSelector selector) =>
        selector.Requirements.Any(r => SelectorTranslation.IsNamespaceKey(r)
            || r.Key.StartsWith(WellKnownLabels.NamespaceLabelPrefix, StringComparison.Ordinal)
            || r.Source == LabelSource.Reserved);
}
