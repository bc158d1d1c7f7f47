namespace Sluice.Policy.Model;

/// <summary>The envelope a policy document came in.</summary>
public enum PolicyKind
{
    /// <summary><c>cilium.io/v2</c> CiliumNetworkPolicy: namespaced; the namespace is injected into its selectors.</summary>
    CiliumNetworkPolicy,

    /// <summary><c>cilium.io/v2</c> CiliumClusterwideNetworkPolicy: cluster scope; may use nodeSelector.</summary>
    CiliumClusterwideNetworkPolicy,

    /// <summary><c>networking.k8s.io/v1</c> NetworkPolicy; the raw model is in <see cref="PolicyDocument.Kubernetes"/>.</summary>
    KubernetesNetworkPolicy,

    /// <summary>A bare JSON/YAML array of rules, as Cilium's REST API takes them (<c>[{"endpointSelector": …}]</c>): no namespace.</summary>
    RuleList,
}
