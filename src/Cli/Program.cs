using Sluice.Cli;

return SluiceCommandLine.Run(args, Console.Out, Console.Error);
