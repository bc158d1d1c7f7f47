using Sluice.Policy.Diagnostics;
using Sluice.Policy.Parsing;
using Xunit;

namespace Sluice.Policy.Tests.Parsing;

/// <summary>Loading real files and directories from a temporary directory.</summary>
public sealed class PolicyLoaderTests : IDisposable
{

    private readonly string root = Directory.CreateTempSubdirectory("slc-policy-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Named(string name) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: {name}\nspec:\n  endpointSelector: {{}}\n  ingress: [{{}}]\n";

    [Fact]
    public void Directory_RecursiveDeterministicOrderAndExtensionFilter()
    {
        Write("b.yaml", Named("b"));
        Write("a.yml", Named("a"));
        Write("sub/c.json", "[{\"endpointSelector\": {}, \"egress\": [{}]}]");
        Write("sub/deeper/d.YAML", Named("d"));
        Write("Z.yaml", Named("z"));
        Write("notes.txt", "not a policy");
        Write("README.md", "# docs");

        var result = PolicyLoader.LoadPaths([root]);

        Assert.False(result.HasErrors, DiagnosticAssert.Describe(result.Diagnostics));
        Assert.Equal(["z", "a", "b", "c.json", "d"], result.Documents.Select(d => d.Name));
        Assert.Equal(Path.Combine(root, "sub", "c.json"), result.Documents[3].Source.File);
    }

    [Fact]
    public void PolicyFilesIn_SortedByRelativePathOrdinal()
    {
        Write("b/x.yaml", Named("x"));
        Write("a.yaml", Named("a"));
        Write("a/y.json", "[]");

        Assert.Equal(["a.yaml", "a/y.json", "b/x.yaml"], PolicyLoader.PolicyFilesIn(root).Select(f => Path.GetRelativePath(root, f)));
    }

    [Fact]
    public void Directory_HiddenEntriesSkipped_ConfigMapLayoutLoadsOnce()
    {
        // The layout kubelet gives a ConfigMap volume: data in a timestamped hidden directory, "..data" linking
        // to it, and a visible top-level link per key.
        Write("..2026_01_01_00_00_00.000/web.yaml", Named("web"));
        File.CreateSymbolicLink(Path.Combine(root, "..data"), "..2026_01_01_00_00_00.000");
        File.CreateSymbolicLink(Path.Combine(root, "web.yaml"), Path.Combine("..data", "web.yaml"));
        Write(".web.yaml.swp.yaml", Named("editor-copy"));

        var result = PolicyLoader.LoadPaths([root]);

        Assert.False(result.HasErrors, DiagnosticAssert.Describe(result.Diagnostics));
        Assert.Equal(["web"], result.Documents.Select(d => d.Name));
        Assert.Equal(Path.Combine(root, "web.yaml"), result.Documents[0].Source.File);
    }

    [Fact]
    public void SymlinkLoop_EachFileLoadedOnceAndLinkNoted()
    {
        Write("sub/a.yaml", Named("a"));
        var loop = Path.Combine(root, "sub", "loop");
        Directory.CreateSymbolicLink(loop, "..");

        var result = PolicyLoader.LoadPaths([root]);

        Assert.Equal(["a"], result.Documents.Select(d => d.Name));
        var note = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Note, loop), (note.Severity, note.Location.File));
        Assert.Contains("skipped symbolic link to a directory", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitSymlinkedDirectory_Followed()
    {
        Write("real/a.yaml", Named("a"));
        var link = Path.Combine(root, "link");
        Directory.CreateSymbolicLink(link, Path.Combine(root, "real"));

        var result = PolicyLoader.LoadPaths([link]);

        Assert.Equal(["a"], result.Documents.Select(d => d.Name));
    }

    [Fact]
    public void SameFileThroughTwoPaths_LoadedOnce()
    {
        var file = Write("a.yaml", Named("a"));

        var result = PolicyLoader.LoadPaths([file, root]);

        Assert.Equal(["a"], result.Documents.Select(d => d.Name));
        var note = Assert.Single(result.Diagnostics);
        Assert.Contains("already loaded", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFilesInDirectory_LeftOutOfTheList()
    {
        Write("empty.yaml", string.Empty);
        var full = Write("full.yaml", Named("full"));

        Assert.Equal([full], PolicyLoader.PolicyFilesIn(root));
        Assert.Equal(["full"], PolicyLoader.LoadPaths([root]).Documents.Select(d => d.Name));
    }

    [Fact]
    public void ExplicitEmptyFile_ReadWithoutFindings()
    {
        var empty = Write("empty.yaml", string.Empty);

        var result = PolicyLoader.LoadPaths([empty]);

        Assert.Empty(result.Documents);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void DanglingLinkInDirectory_ReportedUnreadable()
    {
        var link = Path.Combine(root, "gone.yaml");
        File.CreateSymbolicLink(link, Path.Combine(root, "missing-target.yaml"));

        var result = PolicyLoader.LoadPaths([root]);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.FileUnreadable, link), (error.Code, error.Location.File));
    }

    [Fact]
    public void ExplicitFile_ReadWhateverItsExtension()
    {
        var file = Write("policy.txt", Named("t"));

        var result = PolicyLoader.LoadPaths([file]);

        Assert.Equal("t", Assert.Single(result.Documents).Name);
    }

    [Fact]
    public void PathsInGivenOrder_DocumentsAndDiagnosticsFollowIt()
    {
        var second = Write("2.yaml", Named("two").Replace("ingress: [{}]", "ingress: [{fromEntities: [wrld]}]", StringComparison.Ordinal));
        var first = Write("1.yaml", Named("one"));

        var result = PolicyLoader.LoadPaths([second, first]);

        Assert.Equal(["one"], result.Documents.Select(d => d.Name));
        var error = Assert.Single(result.Errors);
        Assert.Equal((second, 7, 29), (error.Location.File, error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void MissingPath_FileError()
    {
        var missing = Path.Combine(root, "nope.yaml");

        var result = PolicyLoader.LoadPaths([missing]);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.FileUnreadable, missing), (error.Code, error.Location.File));
        Assert.Contains("no such file or directory", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{missing}: error: no such file or directory", error.ToString());
    }

    [Fact]
    public void InvalidUtf8_FileError()
    {
        var file = Path.Combine(root, "latin1.yaml");
        File.WriteAllBytes(file, [0x61, 0x3A, 0x20, 0xE9, 0xFF, 0x0A]);

        var result = PolicyLoader.LoadPaths([file]);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.FileUnreadable, error.Code);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyDirectory_NothingLoaded()
    {
        var result = PolicyLoader.LoadPaths([root]);

        Assert.Empty(result.Documents);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void OneBadFileAmongGood_OthersStillLoaded()
    {
        Write("a.yaml", Named("a"));
        Write("b.json", "{ not json");
        Write("c.yaml", Named("c"));

        var result = PolicyLoader.LoadPaths([root]);

        Assert.Equal(["a", "c"], result.Documents.Select(d => d.Name));
        var error = Assert.Single(result.Errors);
        Assert.Equal(DiagnosticCodes.Syntax, error.Code);
        Assert.EndsWith("b.json", error.Location.File, StringComparison.Ordinal);
    }
}
