using Xunit;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>
/// End-to-end tests run one at a time: each starts a real sluiced and probes with real traffic, and the
/// machine's two cores make parallel daemons slow enough to blur timing assertions.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndGroup
{
    public const string Name = "end-to-end";
}
