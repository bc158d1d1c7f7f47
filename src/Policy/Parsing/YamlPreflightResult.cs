using YamlDotNet.Core;

namespace Sluice.Policy.Parsing;

/// <summary>The result of <see cref="YamlPreflight.Check"/>.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="Position">Where (1-based line and column); <see cref="Mark.Empty"/> when <see cref="YamlPreflightOutcome.Ok"/>.</param>
/// <param name="Exception">The library's exception for <see cref="YamlPreflightOutcome.SyntaxError"/> and <see cref="YamlPreflightOutcome.Malformed"/>.</param>
public sealed record YamlPreflightResult(YamlPreflightOutcome Outcome, Mark Position, Exception? Exception);
