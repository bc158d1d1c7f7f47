namespace Sluice.FlowExporter.Sinks;

/// <summary>The <c>flows.log</c> settings of DESIGN §4.2.</summary>
public sealed class FlowLogOptions
{
    /// <summary>File to write; rotated files are kept beside it.</summary>
    public required string Path { get; init; }

    /// <summary>Size in MiB at which the file is rotated (Hubble's default 10).</summary>
    public int MaxSizeMb { get; init; } = 10;

    /// <summary>Rotated files kept (Hubble's default 5).</summary>
    public int MaxBackups { get; init; } = 5;

    /// <summary>Gzip rotated files.</summary>
    public bool Compress { get; init; }

    /// <summary>FlowFilter JSON objects; a flow is written when it matches any (or the list is empty).</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    /// <summary>FlowFilter JSON objects; a flow matching any is not written.</summary>
    public IReadOnlyList<string> Deny { get; init; } = [];

    /// <summary>Flow field paths to keep (e.g. "source.pod_name"); empty keeps every field.</summary>
    public IReadOnlyList<string> FieldMask { get; init; } = [];

    /// <summary>Size limit in bytes; lets tests rotate without writing megabytes.</summary>
    public long? MaxSizeBytesOverride { get; init; }
}
