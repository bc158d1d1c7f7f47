using Sluice.Cli.Endpoints;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Tests.Robustness;
using Xunit;

namespace Sluice.Cli.Tests;

/// <summary>
/// Thousands of seeded mutations of a valid endpoints file: each must parse or fail with
/// <see cref="EndpointsFileException"/> carrying well-formed errors, never any other exception.
/// </summary>
public sealed class EndpointsFileRobustnessTests
{
    private const string Valid = """
        endpoints:
          - name: frontend
            namespace: shop
            interface: veth-frontend
            addresses: [10.10.0.2, fd00::2]
            labels: {app: frontend, tier: web}
            policyMode: enforce
          - name: api
            namespace: shop
            addresses:
              - 10.10.0.3
            labels:
              app: api
            policyMode: audit
        external:
          - {cidr: 192.0.2.0/24, labels: {app: partner}}
          - cidr: 2001:db8::/32
            labels: {app: v6-partner}
        """;

    [Fact]
    public void MutatedEndpointsFiles_ParseOrFailWithWellFormedErrors()
    {
        const int count = 4000;
        int rejected = 0;
        var failures = new List<string>();
        for (int seed = 0; seed < count && failures.Count < 5; seed++)
        {
            var (text, kind) = CorpusMutator.Mutate(Valid, new Random(seed));
            try
            {
                EndpointsFile.Parse(text, "endpoints.yaml");
            }
            catch (EndpointsFileException e)
            {
                rejected++;
                foreach (var error in e.Errors)
                {
                    if (error.Severity != DiagnosticSeverity.Error || error.Location.File != "endpoints.yaml"
                        || error.Location.Line < 0 || string.IsNullOrWhiteSpace(error.Message))
                    {
                        failures.Add($"seed {seed} ({kind}): malformed error {error}");
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"seed {seed} ({kind}): {e}\n{text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(rejected > count / 4, $"only {rejected} of {count} mutations were rejected");
    }
}
