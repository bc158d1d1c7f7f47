namespace Sluice.Policy.Model;

/// <summary>Operators of a label selector requirement, as Kubernetes defines them.</summary>
public enum SelectorOperator
{
    /// <summary>The label is present and its value is one of the values.</summary>
    In,

    /// <summary>The label is absent, or its value is none of the values.</summary>
    NotIn,

    /// <summary>The label is present (any value).</summary>
    Exists,

    /// <summary>The label is absent.</summary>
    DoesNotExist,
}
