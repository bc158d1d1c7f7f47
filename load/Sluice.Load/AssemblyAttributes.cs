using System.Runtime.CompilerServices;

// The harness's parsing and statistics are tested directly, without running a scenario.
[assembly: InternalsVisibleTo("Sluice.Load.Tests")]
