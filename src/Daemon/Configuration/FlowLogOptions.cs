using Sluice.Api.Flow;

namespace Sluice.Daemon.Configuration;

/// <summary>The <c>flows.log:</c> section: Hubble-JSON lines with size-based rotation.</summary>
public sealed class FlowLogOptions
{
    /// <summary>Default <see cref="Path"/>.</summary>
    public const string DefaultPath = "/var/log/sluice/flows.jsonl";

    /// <summary>Default <see cref="MaxSizeMb"/>.</summary>
    public const int DefaultMaxSizeMb = 10;

    /// <summary>Default <see cref="MaxBackups"/>.</summary>
    public const int DefaultMaxBackups = 5;

    /// <summary>The log file; empty disables the flow log.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>Size at which the file is rotated, in MiB.</summary>
    public int MaxSizeMb { get; set; } = DefaultMaxSizeMb;

    /// <summary>Rotated files kept.</summary>
    public int MaxBackups { get; set; } = DefaultMaxBackups;

    /// <summary>Whether rotated files are gzip-compressed.</summary>
    public bool Compress { get; set; }

    /// <summary>Only flows matching one of these filters are logged (none: every flow).</summary>
    public IReadOnlyList<FlowFilter> Allow { get; set; } = [];

    /// <summary>Flows matching one of these filters are not logged.</summary>
    public IReadOnlyList<FlowFilter> Deny { get; set; } = [];

    /// <summary>Flow field paths to keep (none: every field), as Hubble's <c>field_mask</c>.</summary>
    public IReadOnlyList<string> FieldMask { get; set; } = [];
}
