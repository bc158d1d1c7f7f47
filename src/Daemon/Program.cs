using System.CommandLine;
using Sluice.Daemon.Configuration;
using Sluice.Daemon.Hosting;

var config = new Option<string>("--config")
{
    Description = $"The daemon config file (DESIGN §4.2). Default: {SluiceOptions.DefaultConfigPath} (all defaults when it does not exist).",
    HelpName = "path",
};
var printFlows = new Option<bool>("--print-flows")
{
    Description = "Also print every flow as a compact line on stdout.",
};
var root = new RootCommand("sluiced: the Sluice daemon. Enforces identity-aware network policy with eBPF and records every flow; runs in the foreground (systemd runs it as a Type=notify service).")
{
    config,
    printFlows,
};
root.SetAction((parseResult, cancellationToken) =>
{
    string? path = parseResult.GetValue(config);
    return DaemonHost.RunAsync(path ?? SluiceOptions.DefaultConfigPath, path is not null, parseResult.GetValue(printFlows), cancellationToken);
});
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
