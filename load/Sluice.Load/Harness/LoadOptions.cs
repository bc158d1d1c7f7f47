using System.Globalization;

namespace Sluice.Load.Harness;

/// <summary>Command-line options shared by the scenarios: <c>--name value</c> pairs after the scenario name.</summary>
internal sealed class LoadOptions
{
    private readonly Dictionary<string, string> _values;

    private LoadOptions(Dictionary<string, string> values, string repositoryRoot)
    {
        _values = values;
        RepositoryRoot = repositoryRoot;
    }

    public string RepositoryRoot { get; }

    /// <summary>sluiced.dll: <c>--sluiced</c>, or src/Daemon's Release build output.</summary>
    public string DaemonDll => Get("sluiced", Path.Combine(RepositoryRoot, "src/Daemon/bin/Release/net10.0/sluiced.dll"));

    public string ResultsDir => Get("results", Path.Combine(RepositoryRoot, "load/results"));

    /// <summary>Parses <c>--name value</c> pairs; anything else is an error naming the argument.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args, IReadOnlySet<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || !known.Contains(a[2..]))
            {
                throw new ArgumentException($"unknown option '{a}' (known: {string.Join(", ", known.Order().Select(k => "--" + k))})");
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"option '{a}' needs a value");
            }

            values[a[2..]] = args[++i];
        }

        return new LoadOptions(values, FindRepositoryRoot());
    }

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>An integer option; a value that is not a positive integer is an error naming the option.</summary>
    public int Int(string name, int fallback) =>
        !_values.TryGetValue(name, out var v) ? fallback
        : int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n
        : throw new ArgumentException($"--{name} must be a positive integer, got '{v}'");

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sluice.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("run from inside the Sluice repository (Sluice.sln not found above the current directory)");
    }
}
