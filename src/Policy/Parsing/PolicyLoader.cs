using System.Text;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Loads policy files and directories. Directories are searched recursively for <c>*.yaml</c>, <c>*.yml</c>
/// and <c>*.json</c>, in ordinal order of their relative paths so the result never depends on the file
/// system's listing order; hidden files and directories are skipped. Files named explicitly are read
/// whatever their extension.
/// </summary>
public static class PolicyLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Loads every file and directory in <paramref name="filesOrDirs"/>, in the order given.</summary>
    public static PolicyParseResult LoadPaths(IEnumerable<string> filesOrDirs)
    {
        ArgumentNullException.ThrowIfNull(filesOrDirs);
        var documents = new List<PolicyDocument>();
        var diagnostics = new List<Diagnostic>();
        foreach (var path in filesOrDirs)
        {
            foreach (var file in Expand(path, diagnostics))
            {
                var text = ReadFile(file, diagnostics);
                if (text is null)
                {
                    continue;
                }

                var result = PolicyParser.ParseText(text, file);
                documents.AddRange(result.Documents);
                diagnostics.AddRange(result.Diagnostics);
            }
        }

        return new PolicyParseResult(documents, diagnostics);
    }

    /// <summary>Files under <paramref name="directory"/> that the loader reads, in load order.</summary>
    public static IReadOnlyList<string> PolicyFilesIn(string directory) =>
        Directory.EnumerateFiles(directory, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,

                // Hidden entries (names starting with '.') are skipped: editors keep backup copies there, and a
                // Kubernetes ConfigMap mount holds every file twice (a top-level link into "..data" and the
                // timestamped "..<date>" directory it points to), which would load each policy twice.
                AttributesToSkip = FileAttributes.Hidden,
            })
            .Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(f => Path.GetRelativePath(directory, f), StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> Expand(string path, List<Diagnostic> diagnostics)
    {
        if (Directory.Exists(path))
        {
            try
            {
                return PolicyFilesIn(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(FileError(path, $"cannot list directory: {ex.Message}"));
                return [];
            }
        }

        if (File.Exists(path))
        {
            return [path];
        }

        diagnostics.Add(FileError(path, "no such file or directory"));
        return [];
    }

    private static string? ReadFile(string file, List<Diagnostic> diagnostics)
    {
        try
        {
            var info = new FileInfo(file);
            if (info.Length > Parsing.SourceLimits.MaxFileBytes)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(file, 1, 1), string.Empty,
                    $"file is {info.Length} bytes; the limit is {Parsing.SourceLimits.MaxFileBytes}", DiagnosticCodes.LimitExceeded));
                return null;
            }

            var bytes = File.ReadAllBytes(file);
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(FileError(file, "the file is not valid UTF-8 text"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(FileError(file, $"cannot read file: {ex.Message}"));
        }

        return null;
    }

    private static Diagnostic FileError(string path, string message) =>
        new(DiagnosticSeverity.Error, new SourceLocation(path, 0, 0), string.Empty, message, DiagnosticCodes.FileUnreadable);
}
