namespace Sluice.Policy.Model;

/// <summary>Values of a Kubernetes NetworkPolicy's <c>policyTypes</c>.</summary>
public enum NetworkPolicyType
{
    /// <summary><c>Ingress</c>.</summary>
    Ingress,

    /// <summary><c>Egress</c>.</summary>
    Egress,
}
