namespace Sluice.Daemon.Datapath;

/// <summary>
/// A change would not fit a datapath map. Thrown before anything is written, so the map keeps the
/// previous complete state: an overflow is an error reported to the user, never a partial policy (DESIGN §5).
/// </summary>
public sealed class DatapathCapacityException : Exception
{
    /// <summary>Creates the exception for <paramref name="map"/>.</summary>
    public DatapathCapacityException(string map, long needed, long capacity, string what)
        : base($"{what} needs {needed} entries in map {map}, which holds at most {capacity}; the previous state stays in force")
    {
        Map = map;
        Needed = needed;
        Capacity = capacity;
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatapathCapacityException(string message)
        : base(message)
    {
        Map = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatapathCapacityException(string message, Exception innerException)
        : base(message, innerException)
    {
        Map = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public DatapathCapacityException()
        : this("a datapath map is full")
    {
    }

    /// <summary>The map that would overflow.</summary>
    public string Map { get; }

    /// <summary>Entries the change needs in total.</summary>
    public long Needed { get; }

    /// <summary>The map's capacity.</summary>
    public long Capacity { get; }
}
