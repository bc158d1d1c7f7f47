namespace Sluice.FlowExporter.Filtering;

/// <summary>A flow filter that cannot be evaluated: bad CIDR, port, regex, label selector or an unsupported field.</summary>
public sealed class FlowFilterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowFilterException()
    {
    }

    /// <summary>Creates the exception with a message naming the field and value.</summary>
    public FlowFilterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public FlowFilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
