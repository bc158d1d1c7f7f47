using System.Text;

namespace Sluice.Policy.Tests.Properties;

/// <summary>
/// One generated world: policies, the local endpoints they are computed for, and remote workloads that
/// only appear as peers. Printed in full when a property fails, so the case can be replayed by hand.
/// </summary>
/// <param name="Policies">Policy documents with distinct names.</param>
/// <param name="Local">Local endpoints (map states are computed for these).</param>
/// <param name="Remote">Workloads elsewhere in the cluster (peers only).</param>
public sealed record PolicyScenario(IReadOnlyList<GeneratedPolicy> Policies, IReadOnlyList<Workload> Local, IReadOnlyList<Workload> Remote)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("local endpoints:\n");
        foreach (var w in Local)
        {
            text.Append("  ").Append(w).Append('\n');
        }

        text.Append("remote workloads:\n");
        foreach (var w in Remote)
        {
            text.Append("  ").Append(w).Append('\n');
        }

        foreach (var p in Policies)
        {
            text.Append("---\n").Append(p.ToYaml());
        }

        return text.ToString();
    }
}
