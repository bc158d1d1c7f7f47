namespace Sluice.Daemon.Datapath;

/// <summary>How full one datapath map is.</summary>
/// <param name="Name">The map's name.</param>
/// <param name="Entries">Entries in use.</param>
/// <param name="MaxEntries">Capacity.</param>
public sealed record MapFill(string Name, long Entries, long MaxEntries);
