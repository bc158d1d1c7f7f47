using Microsoft.Extensions.Logging;

namespace Sluice.Daemon.Hosting;

/// <summary>
/// Every log message sluiced writes, source-generated, with stable event ids (1000–1099) so that alerts
/// and log queries can key on the id rather than on wording.
/// </summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "sluiced starting: config {ConfigPath}, node {NodeName}")]
    public static partial void Starting(ILogger logger, string configPath, string nodeName);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "datapath loaded: pinned under {PinDir}; re-adopted maps: {Adopted}")]
    public static partial void DatapathLoaded(ILogger logger, string pinDir, string adopted);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "endpoint {Name} ({Interface}, id {EndpointId}, identity {Identity}) attached")]
    public static partial void EndpointAttached(ILogger logger, string name, string @interface, ushort endpointId, uint identity);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "endpoint {Name} (id {EndpointId}) removed: programs detached, policy entries deleted")]
    public static partial void EndpointDetached(ILogger logger, string name, ushort endpointId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "policy revision {Revision} applied to {Endpoints} endpoint(s) in {ElapsedMs:F1} ms")]
    public static partial void PolicyApplied(ILogger logger, ulong revision, int endpoints, double elapsedMs);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "policy file {Path} rejected; its previous version stays in force: {Errors}")]
    public static partial void PolicyFileRejected(ILogger logger, string path, string errors);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "endpoints file {Path} rejected; the previous endpoints stay in force: {Errors}")]
    public static partial void EndpointsFileRejected(ILogger logger, string path, string errors);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "endpoint {Name}: interface {Interface} does not exist yet; it is attached once it appears")]
    public static partial void InterfaceMissing(ILogger logger, string name, string @interface);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "sluiced ready: {Endpoints} endpoint(s) enforced, policy revision {Revision}, {ElapsedMs:F0} ms after start")]
    public static partial void Ready(ILogger logger, int endpoints, ulong revision, double elapsedMs);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "sluiced stopping; programs stay attached and maps pinned, so enforcement continues")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "watchdog withheld: {Reason}")]
    public static partial void WatchdogWithheld(ILogger logger, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Critical, Message = "sluiced cannot start: {Reason}")]
    public static partial void StartupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "applying the change failed; the previous state stays in force: {Reason}")]
    public static partial void ApplyFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "reload requested: {Reason}")]
    public static partial void ReloadRequested(ILogger logger, string reason);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Debug, Message = "policy slot {Slot} of endpoint {EndpointId} now holds {Count} entries")]
    public static partial void PolicySlotWritten(ILogger logger, byte slot, ushort endpointId, int count);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "policy {Policy} uses fields that are parsed but not enforced: {Features}")]
    public static partial void NotEnforced(ILogger logger, string policy, string features);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "stale endpoint on ifindex {Ifindex} (id {EndpointId}) from a previous run removed")]
    public static partial void StaleEndpointRemoved(ILogger logger, int ifindex, ushort endpointId);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Error, Message = "flow pipeline failed: {Reason}")]
    public static partial void PipelineFailed(ILogger logger, string reason);
}
