namespace Sluice.Flows.Tests;

public class FlowsAssemblyTests
{
    [Fact]
    public void Assembly_IsNamedSluiceFlows()
    {
        Assert.Equal("Sluice.Flows", typeof(Sluice.Flows.FlowsAssembly).Assembly.GetName().Name);
    }
}
