using System.CommandLine;
using System.Globalization;
using Sluice.Api.Admin;

namespace Sluice.Cli.Daemon;

/// <summary>
/// <c>sluice status</c>: policy revision, endpoints and their enforcement, rejected files with their
/// errors, map fill levels and loss counters, from sluiced's admin service.
/// </summary>
internal static class StatusCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var server = DaemonConnection.ServerOption();
        var command = new Command("status", "Show what sluiced enforces: policy revision, endpoints, rejected files, map fill, losses.") { server };
        command.SetAction(parseResult => DaemonConnection.Run(parseResult, server, (channel, output) =>
        {
            var status = new Admin.AdminClient(channel).Status(new StatusRequest());
            Write(status, output);
            return status.RejectedFiles.Count > 0 || !status.Healthy ? 1 : 0;
        }));
        return command;
    }

    /// <summary>Prints <paramref name="status"/>.</summary>
    public static void Write(StatusResponse status, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"Node:            {status.NodeName} (sluiced {status.Version})"));
        output.WriteLine(string.Create(inv, $"Health:          {(status.Healthy ? "ok" : "DEGRADED")}"));
        output.WriteLine(string.Create(inv, $"Policy revision: {status.PolicyRevision}{(status.PolicyAppliedAt is null ? string.Empty : ", applied " + status.PolicyAppliedAt.ToDateTimeOffset().ToString("u", inv))}"));
        output.WriteLine(string.Create(inv, $"Enforcement:     {status.PolicyEnforcement}{(status.AuditMode ? " (audit mode: nothing is dropped)" : string.Empty)}"));
        output.WriteLine();
        EndpointListCommand.WriteTable(status.Endpoints, output);
        if (status.RejectedFiles.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Rejected files (the previous version stays in force):");
            foreach (var file in status.RejectedFiles)
            {
                foreach (var e in file.Errors)
                {
                    output.WriteLine(string.Create(inv, $"  {file.Path}:{e.Line}:{e.Column}: {e.Message}"));
                }
            }
        }

        output.WriteLine();
        output.WriteLine("Maps:");
        foreach (var map in status.Maps)
        {
            double percent = map.MaxEntries == 0 ? 0 : 100.0 * map.Entries / map.MaxEntries;
            output.WriteLine(string.Create(inv, $"  {map.Name,-18} {map.Entries,8} / {map.MaxEntries,-8} ({percent:F1}%)"));
        }

        output.WriteLine("Losses:");
        foreach (var loss in status.Losses)
        {
            output.WriteLine(string.Create(inv, $"  {loss.Source,-24} {loss.Lost}"));
        }
    }
}
