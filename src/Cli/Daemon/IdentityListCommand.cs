using System.CommandLine;
using System.Globalization;
using Sluice.Api.Admin;

namespace Sluice.Cli.Daemon;

/// <summary><c>sluice identity list</c>: every identity sluiced knows, with its labels and endpoints.</summary>
internal static class IdentityListCommand
{
    /// <summary>Creates the <c>identity</c> command with its <c>list</c> subcommand.</summary>
    public static Command Create()
    {
        var server = DaemonConnection.ServerOption();
        var list = new Command("list", "List identities: number, kind (reserved, endpoint, external, cidr), labels, endpoints.") { server };
        list.SetAction(parseResult => DaemonConnection.Run(parseResult, server, (channel, output) =>
        {
            var response = new Admin.AdminClient(channel).ListIdentities(new ListIdentitiesRequest());
            output.WriteLine($"{"ID",-10} {"KIND",-9} {"ENDPOINTS",-20} LABELS");
            foreach (var identity in response.Identities)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{identity.Id,-10} {identity.Kind,-9} {string.Join(",", identity.Endpoints),-20} {string.Join(" ", identity.Labels)}"));
            }

            return 0;
        }));
        return new Command("identity", "Security identities known to sluiced.") { list };
    }
}
