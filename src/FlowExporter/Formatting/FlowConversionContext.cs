namespace Sluice.FlowExporter.Formatting;

/// <summary>Per-node values stamped on every converted flow.</summary>
public sealed class FlowConversionContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="nodeName">Shown as node_name.</param>
    /// <param name="version">Sluice version, shown in the flow's emitter.</param>
    /// <param name="uuidPrefix">First 19 characters of every flow uuid (8-4-4-4 hex groups); random per process when null.</param>
    public FlowConversionContext(string nodeName, string version, string? uuidPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        ArgumentNullException.ThrowIfNull(version);
        NodeName = nodeName;
        Version = version;
        UuidPrefix = uuidPrefix ?? Guid.NewGuid().ToString("D")[..23];
        if (UuidPrefix.Length != 23)
        {
            throw new ArgumentException("the uuid prefix has the form xxxxxxxx-xxxx-xxxx-xxxx", nameof(uuidPrefix));
        }
    }

    /// <summary>Node name.</summary>
    public string NodeName { get; }

    /// <summary>Sluice version.</summary>
    public string Version { get; }

    /// <summary>uuid prefix; the last group is the event's sequence number in hex.</summary>
    public string UuidPrefix { get; }
}
