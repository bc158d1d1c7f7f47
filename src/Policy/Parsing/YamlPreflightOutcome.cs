namespace Sluice.Policy.Parsing;

/// <summary>What <see cref="YamlPreflight.Check"/> found.</summary>
public enum YamlPreflightOutcome
{
    /// <summary>Well formed and within the depth limit: safe to load into a node model.</summary>
    Ok,

    /// <summary>Nesting deeper than the limit, at the reported position.</summary>
    TooDeep,

    /// <summary>A YAML syntax error (<see cref="YamlDotNet.Core.YamlException"/>) at its own position.</summary>
    SyntaxError,

    /// <summary>The library failed with another exception after the reported position.</summary>
    Malformed,
}
