using System.CommandLine;
using System.Globalization;
using Sluice.Api.Admin;

namespace Sluice.Cli.Daemon;

/// <summary>
/// <c>sluice policy get [--endpoint NAME]</c>: the policies in force and each endpoint's installed map
/// state (direction, remote identity, protocol and ports → allow/deny and the policies behind it).
/// </summary>
internal static class PolicyGetCommand
{
    /// <summary>Creates the <c>get</c> subcommand (added under <c>policy</c>).</summary>
    public static Command Create()
    {
        var server = DaemonConnection.ServerOption();
        var endpoint = new Option<string>("--endpoint") { Description = "Only this endpoint's entries." };
        var command = new Command("get", "Show the policies sluiced enforces and each endpoint's policy entries.") { server, endpoint };
        command.SetAction(parseResult => DaemonConnection.Run(parseResult, server, (channel, output) =>
        {
            var response = new Admin.AdminClient(channel).GetPolicy(new GetPolicyRequest { Endpoint = parseResult.GetValue(endpoint) ?? string.Empty });
            var inv = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(inv, $"Revision {response.Revision}; {response.Policies.Count} policies:"));
            foreach (var p in response.Policies)
            {
                output.WriteLine($"  {p.Kind} {(p.Namespace.Length > 0 ? p.Namespace + "/" : string.Empty)}{p.Name}  ({p.SourceFile})");
                foreach (var n in p.NotEnforced)
                {
                    output.WriteLine($"    not enforced: {n}");
                }
            }

            foreach (var e in response.Endpoints)
            {
                output.WriteLine();
                output.WriteLine($"Endpoint {e.Endpoint}: ingress {e.IngressEnforcement}, egress {e.EgressEnforcement}");
                foreach (var entry in e.Entries)
                {
                    string ports = entry.Protocol == 0 && entry.Port == 0 && entry.EndPort == 65535 ? "any"
                        : string.Create(inv, $"{entry.Protocol}/{entry.Port}{(entry.EndPort != entry.Port ? "-" + entry.EndPort.ToString(inv) : string.Empty)}");
                    string identity = entry.RemoteIdentity == 0 ? "any" : entry.RemoteIdentity.ToString(inv);
                    output.WriteLine($"  {entry.Direction,-7} identity={identity,-9} {ports,-16} {entry.Action}{(entry.Audit ? " (audit)" : string.Empty)}  {string.Join(", ", entry.Policies)}");
                }
            }

            return 0;
        }));
        return command;
    }
}
