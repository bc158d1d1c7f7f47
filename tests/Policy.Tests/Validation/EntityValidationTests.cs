using Sluice.Policy.Model;
using Sluice.Policy.Parsing;
using Sluice.Policy.Tests.Parsing;
using Xunit;
using static Sluice.Policy.Tests.Parsing.ExpectedDiagnostic;

namespace Sluice.Policy.Tests.Validation;

/// <summary>fromEntities / toEntities: the entity names of the reference §1.9; the value is at line 10, column 7.</summary>
public sealed class EntityValidationTests
{
    [Theory]
    [InlineData("all", Entity.All)]
    [InlineData("world", Entity.World)]
    [InlineData("world-ipv4", Entity.WorldIPv4)]
    [InlineData("world-ipv6", Entity.WorldIPv6)]
    [InlineData("cluster", Entity.Cluster)]
    [InlineData("host", Entity.Host)]
    [InlineData("remote-node", Entity.RemoteNode)]
    [InlineData("kube-apiserver", Entity.KubeApiserver)]
    [InlineData("ingress", Entity.Ingress)]
    [InlineData("init", Entity.Init)]
    [InlineData("health", Entity.Health)]
    [InlineData("unmanaged", Entity.Unmanaged)]
    [InlineData("none", Entity.None)]
    public void KnownEntity_Parsed(string name, Entity entity)
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress($"fromEntities:\n- {name}"), "p.yaml");

        DiagnosticAssert.Exactly(result);
        var parsed = Assert.Single(result.Documents[0].Rules[0].Ingress![0].FromEntities!);
        Assert.Equal(entity, parsed.Entity);
        Assert.Equal(name, parsed.Name);
        Assert.Equal((10, 7), (parsed.Location.Line, parsed.Location.Column));
    }

    [Theory]
    [InlineData("World", "did you mean 'world'?")]
    [InlineData("remote-nodes", "did you mean 'remote-node'?")]
    [InlineData("kube-api-server", "did you mean 'kube-apiserver'?")]
    [InlineData("everything", "entities are all, world")]
    [InlineData("\"\"", "unknown entity ''")]
    public void UnknownEntity_ErrorWithHint(string name, string fragment)
    {
        var result = PolicyParser.ParseText(PolicyText.Egress($"toEntities:\n- {name}"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 7, "spec.egress[0].toEntities[0]", fragment));
    }

    [Fact]
    public void EntitiesAsScalar_WrongType()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEntities: world"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(9, 19, "spec.ingress[0].fromEntities", "expected a list, found a string 'world'"));
    }

    [Fact]
    public void NullEntity_WrongType()
    {
        var result = PolicyParser.ParseText(PolicyText.Ingress("fromEntities:\n- null"), "p.yaml");

        DiagnosticAssert.Exactly(result, Error(10, 7, "spec.ingress[0].fromEntities[0]", "expected a string, found null"));
    }
}
