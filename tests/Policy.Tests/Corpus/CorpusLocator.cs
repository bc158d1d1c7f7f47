namespace Sluice.Policy.Tests.Corpus;

/// <summary>
/// Finds the cilium-examples corpus: <c>$SLUICE_CORPUS_DIR</c> when set, else
/// the copy checked in at <c>tests/corpus/cilium-examples</c> under the repository root (the directory holding Sluice.sln).
/// A missing corpus fails the tests with the paths tried: the corpus is required input, never optional.
/// </summary>
internal static class CorpusLocator
{
    /// <summary>The environment variable that overrides the corpus location.</summary>
    public const string EnvironmentVariable = "SLUICE_CORPUS_DIR";

    private static readonly Lazy<string> Root = new(Find);

    /// <summary>Absolute path of the corpus root.</summary>
    public static string CorpusRoot => Root.Value;

    /// <summary>Absolute path of the expectations file checked in beside the tests.</summary>
    public static string ExpectationsPath => Path.Combine(RepositoryRoot(), "tests", "Policy.Tests", "Corpus", "expectations.yaml");

    /// <summary>Every policy-looking file of the corpus (.yaml, .yml, .json), relative to its root, '/'-separated, sorted.</summary>
    public static IReadOnlyList<string> PolicyFiles() =>
        [.. Directory.EnumerateFiles(CorpusRoot, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(CorpusRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The repository root: the nearest ancestor of the test assembly holding Sluice.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Sluice.sln above {AppContext.BaseDirectory}");
    }

    private static string Find()
    {
        var tried = new List<string>();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            if (Directory.Exists(fromEnvironment))
            {
                return Path.GetFullPath(fromEnvironment);
            }

            tried.Add(fromEnvironment);
        }

        string inRepository = Path.Combine(RepositoryRoot(), "tests", "corpus", "cilium-examples");
        if (Directory.Exists(inRepository))
        {
            return inRepository;
        }

        tried.Add(inRepository);
        throw new DirectoryNotFoundException(
            $"the cilium-examples corpus was not found (tried: {string.Join(", ", tried)}); set {EnvironmentVariable}");
    }
}
