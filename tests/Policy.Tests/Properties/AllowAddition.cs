namespace Sluice.Policy.Tests.Properties;

/// <summary>A scenario and an allow-only rule (with <c>enableDefaultDeny: false</c>) to add.</summary>
/// <param name="Scenario">The world before the change.</param>
/// <param name="Rule">The rule to add.</param>
/// <param name="Target">Index of the policy to add it to; <c>Policies.Count</c> adds a new clusterwide policy.</param>
public sealed record AllowAddition(PolicyScenario Scenario, Dictionary<string, object> Rule, int Target)
{
    /// <inheritdoc/>
    public override string ToString() => $"add to policy {Target}: {System.Text.Json.JsonSerializer.Serialize(Rule)}\n{Scenario}";
}
