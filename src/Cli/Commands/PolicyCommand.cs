using System.CommandLine;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice policy</c>: offline policy tools that need no daemon.</summary>
internal static class PolicyCommand
{
    /// <summary>Creates <c>policy</c> with its subcommands.</summary>
    public static Command Create()
    {
        var policy = new Command("policy", "Validate and trace policies offline; show what sluiced enforces (get).");
        policy.Subcommands.Add(PolicyValidateCommand.Create());
        policy.Subcommands.Add(PolicyTraceCommand.Create());
        policy.Subcommands.Add(Daemon.PolicyGetCommand.Create());
        return policy;
    }
}
