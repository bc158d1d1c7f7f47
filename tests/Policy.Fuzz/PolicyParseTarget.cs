using System.Text;
using Sluice.Policy.Engine;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.Parsing;

namespace Sluice.Policy.Fuzz;

/// <summary>
/// The fuzz target: one input is one policy file. The parser must answer every input with diagnostics;
/// an exception escaping it, or a result that contradicts itself, is a finding (thrown, so the fuzzer
/// records the input as a crash).
/// </summary>
internal static class PolicyParseTarget
{
    /// <summary>Parses <paramref name="input"/> as YAML (JSON is a subset) and checks the outcome.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        // Invalid UTF-8 becomes U+FFFD, exactly as reading the bytes from a file with a UTF-8 reader would.
        string text = Encoding.UTF8.GetString(input);
        var result = PolicyParser.ParseText(text, "fuzz-input.yaml");
        bool anyError = false;
        foreach (var diagnostic in result.Diagnostics)
        {
            anyError |= diagnostic.IsError;
            if (diagnostic.Location.Line < 0 || diagnostic.Location.Column < 0 || string.IsNullOrEmpty(diagnostic.Message))
            {
                throw new InvalidOperationException($"malformed diagnostic: {diagnostic}");
            }
        }

        if (anyError != result.HasErrors)
        {
            throw new InvalidOperationException($"HasErrors={result.HasErrors} but error diagnostics present={anyError}");
        }

        // What the parser accepts, the engine must compute without throwing.
        if (result.Documents.Count > 0)
        {
            var engine = new PolicyEngine();
            engine.UpsertEndpoint(Endpoint);
            foreach (var document in result.Documents)
            {
                engine.SetPolicy(document);
            }

            if (engine.GetMapState(Endpoint.Id).FindLpmViolations().Count > 0)
            {
                throw new InvalidOperationException("map state is not LPM-consistent");
            }
        }
    }

    /// <summary>An endpoint many corpus policies select (app=myService in namespace default).</summary>
    private static readonly EndpointInfo Endpoint = new(1, "fuzz", "default",
        new Identity(IdentityScope.FirstLabelIdentity, WellKnownLabels.ForEndpoint("default", [new("app", "myService"), new("role", "frontend")])));
}
