using Sluice.Daemon.Control;
using Xunit;

namespace Sluice.Daemon.Tests.Control;

public sealed class PolicySourceSetTests : IDisposable
{
    private const string Good = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: p, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: db}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: web}}]
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "slc-ps-" + Guid.NewGuid().ToString("N")[..8]);

    public PolicySourceSetTests() => Directory.CreateDirectory(_dir);

    private PolicySourceSet Set() => new([_dir], TimeProvider.System);

    [Fact]
    public void Reload_GoodFile_DocumentsKeyedByFileAndIndex()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), Good + "\n---\n" + Good.Replace("name: p", "name: q", StringComparison.Ordinal));
        var set = Set();

        var documents = set.Reload();

        Assert.Equal([Path.Combine(_dir, "a.yaml") + "#0", Path.Combine(_dir, "a.yaml") + "#1"], documents.Select(d => d.Key));
        Assert.Equal(["p", "q"], documents.Select(d => d.Document.Name));
        Assert.Empty(set.Rejected);
    }

    [Fact]
    public void Reload_FileBecomesInvalid_PreviousVersionStaysAndErrorsAreListed()
    {
        string file = Path.Combine(_dir, "a.yaml");
        File.WriteAllText(file, Good);
        var set = Set();
        var before = set.Reload();

        File.WriteAllText(file, Good.Replace("matchLabels: {app: web}", "matchLabels: {app: web}, bogus: 1", StringComparison.Ordinal));
        var after = set.Reload();

        Assert.Same(before[0].Document, after[0].Document);
        var rejected = Assert.Single(set.Rejected);
        Assert.Equal(file, rejected.Path);
        Assert.Contains(rejected.Errors, e => e.Line == 7 && e.Message.Contains("bogus", StringComparison.Ordinal));
    }

    [Fact]
    public void Reload_NewInvalidFile_NotInForceButRejected()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.yaml"), "spec: [\n");
        var set = Set();

        Assert.Empty(set.Reload());
        Assert.Single(set.Rejected);
    }

    [Fact]
    public void Reload_InvalidFileFixed_RejectionClearsAndNewVersionApplies()
    {
        string file = Path.Combine(_dir, "a.yaml");
        File.WriteAllText(file, "spec: [\n");
        var set = Set();
        set.Reload();

        File.WriteAllText(file, Good);
        var documents = set.Reload();

        Assert.Empty(set.Rejected);
        Assert.Equal("p", Assert.Single(documents).Document.Name);
    }

    [Fact]
    public void Reload_UnchangedFile_SameDocumentObjects()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), Good);
        var set = Set();

        var first = set.Reload();
        var second = set.Reload();

        Assert.Same(first[0].Document, second[0].Document);
    }

    [Fact]
    public void Reload_FileDeleted_ItsPoliciesAndRejectionGo()
    {
        string good = Path.Combine(_dir, "a.yaml");
        string bad = Path.Combine(_dir, "b.yaml");
        File.WriteAllText(good, Good);
        File.WriteAllText(bad, "spec: [\n");
        var set = Set();
        set.Reload();

        File.Delete(good);
        File.Delete(bad);

        Assert.Empty(set.Reload());
        Assert.Empty(set.Rejected);
    }

    [Fact]
    public void Reload_MissingDirectory_NoPoliciesNoErrors()
    {
        var set = new PolicySourceSet([Path.Combine(_dir, "absent")], TimeProvider.System);

        Assert.Empty(set.Reload());
        Assert.Empty(set.Rejected);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
