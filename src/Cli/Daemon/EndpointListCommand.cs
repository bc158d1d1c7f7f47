using System.CommandLine;
using System.Globalization;
using Sluice.Api.Admin;

namespace Sluice.Cli.Daemon;

/// <summary><c>sluice endpoint list</c>: the endpoints sluiced manages and how each is enforced.</summary>
internal static class EndpointListCommand
{
    /// <summary>Creates the <c>endpoint</c> command with its <c>list</c> subcommand.</summary>
    public static Command Create()
    {
        var server = DaemonConnection.ServerOption();
        var list = new Command("list", "List endpoints: id, name, interface, identity, addresses, enforcement per direction.") { server };
        list.SetAction(parseResult => DaemonConnection.Run(parseResult, server, (channel, output) =>
        {
            WriteTable(new Admin.AdminClient(channel).ListEndpoints(new ListEndpointsRequest()).Endpoints, output);
            return 0;
        }));
        return new Command("endpoint", "Endpoints managed by sluiced.") { list };
    }

    /// <summary>Prints endpoints as a table.</summary>
    public static void WriteTable(IEnumerable<Endpoint> endpoints, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"{"ID",-5} {"ENDPOINT",-20} {"INTERFACE",-16} {"IDENTITY",-9} {"INGRESS",-9} {"EGRESS",-9} {"ATTACHED",-9} {"ENTRIES",-8} ADDRESSES");
        foreach (var e in endpoints)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{e.Id,-5} {e.Namespace + "/" + e.Name,-20} {e.Interface,-16} {e.Identity,-9} {Mode(e.IngressEnforcement),-9} {Mode(e.EgressEnforcement),-9} {(e.Attached ? "yes" : "NO"),-9} {e.PolicyEntries,-8} {string.Join(",", e.Addresses)}"));
        }
    }

    private static string Mode(EnforcementMode mode) => mode switch
    {
        EnforcementMode.Enforce => "enforce",
        EnforcementMode.Audit => "audit",
        EnforcementMode.Disabled => "disabled",
        _ => "unknown",
    };
}
