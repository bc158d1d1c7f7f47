namespace Sluice.Policy.Tests.Properties;

/// <summary>A scenario and a deny-only rule to add to policy <c>Target</c> (or, past the end, as a new policy).</summary>
/// <param name="Scenario">The world before the change.</param>
/// <param name="Rule">The rule to add.</param>
/// <param name="Target">Index of the policy to add it to; <c>Policies.Count</c> adds a new clusterwide policy.</param>
public sealed record DenyAddition(PolicyScenario Scenario, Dictionary<string, object> Rule, int Target)
{
    /// <inheritdoc/>
    public override string ToString() => $"add to policy {Target}: {System.Text.Json.JsonSerializer.Serialize(Rule)}\n{Scenario}";
}
