namespace Sluice.Policy.Identities;

/// <summary>A local endpoint: the workload the policy is computed for.</summary>
/// <param name="Id">The endpoint id (stable for the endpoint's life).</param>
/// <param name="Name">The endpoint name (shown as pod name).</param>
/// <param name="Namespace">The policy namespace the endpoint lives in.</param>
/// <param name="Identity">The endpoint's security identity (its labels select it).</param>
/// <param name="PolicyMode">Enforce or audit; a datapath flag, not part of the map state.</param>
public sealed record EndpointInfo(ulong Id, string Name, string Namespace, Identity Identity, PolicyMode PolicyMode = PolicyMode.Enforce)
{
    /// <summary>The endpoint's labels (those of its identity).</summary>
    public Labels.LabelSet Labels => Identity.Labels;
}
