namespace Sluice.FlowExporter.Model;

/// <summary>
/// The policies behind one policy-reference id carried by a kernel flow record. The datapath stores a
/// small id per policy-map entry; the daemon maps it back to the policies that produced the entry.
/// </summary>
public sealed class PolicyRefInfo
{
    /// <summary>Creates the mapping for one reference id.</summary>
    public PolicyRefInfo(uint policyRef, IReadOnlyList<PolicyName> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        PolicyRef = policyRef;
        Policies = policies;
    }

    /// <summary>The id the datapath reported.</summary>
    public uint PolicyRef { get; }

    /// <summary>Policies that produced the map entry, in a stable order.</summary>
    public IReadOnlyList<PolicyName> Policies { get; }
}
