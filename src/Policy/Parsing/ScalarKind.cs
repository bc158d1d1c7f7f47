namespace Sluice.Policy.Parsing;

/// <summary>How a scalar was written; decides which typed reads accept it.</summary>
internal enum ScalarKind
{
    /// <summary>A quoted YAML scalar or a JSON string: always text.</summary>
    Text,

    /// <summary>An unquoted YAML scalar: text, number or boolean depending on the field.</summary>
    Plain,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>YAML <c>null</c>, <c>~</c>, an empty value, or JSON <c>null</c>.</summary>
    Null,
}
