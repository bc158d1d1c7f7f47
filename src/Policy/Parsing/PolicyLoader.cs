using System.Text;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Model;

namespace Sluice.Policy.Parsing;

/// <summary>
/// Loads policy files and directories. Directories are searched recursively for <c>*.yaml</c>, <c>*.yml</c>
/// and <c>*.json</c>, in ordinal order of their relative paths so the result never depends on the file
/// system's listing order; hidden entries and symbolic links to directories are skipped (see
/// <see cref="PolicyFilesIn(string)"/>). Files and directories named explicitly are read whatever their
/// extension or link status.
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
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in filesOrDirs)
        {
            foreach (var file in Expand(path, diagnostics))
            {
                // A file reached twice (named and also inside a named directory) would define its policies twice.
                if (!loaded.Add(Path.GetFullPath(file)))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Note, new SourceLocation(file, 0, 0), string.Empty,
                        "already loaded through an earlier path; read once", DiagnosticCodes.SkippedDocument));
                    continue;
                }

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

    /// <summary>
    /// Files under <paramref name="directory"/> that the loader reads, in load order. Symbolic links to files
    /// are followed; symbolic links to directories are not descended into (a link back to an ancestor would
    /// otherwise load the same policies again and again); hidden entries are skipped, and so are entries of
    /// length 0 (empty files, and FIFOs, sockets or device nodes, whose reading could block).
    /// </summary>
    public static IReadOnlyList<string> PolicyFilesIn(string directory) => PolicyFilesIn(directory, diagnostics: null);

    private static List<string> PolicyFilesIn(string directory, List<Diagnostic>? diagnostics)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(directory);

        // Hidden entries (names starting with '.') are skipped: editors keep backup copies there, and a
        // Kubernetes ConfigMap mount holds every file twice (a top-level link into "..data" and the
        // timestamped "..<date>" directory it points to), which would load each policy twice.
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        while (pending.Count > 0)
        {
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos("*", options))
            {
                if (entry is DirectoryInfo subdirectory)
                {
                    if (subdirectory.LinkTarget is null)
                    {
                        pending.Push(subdirectory.FullName);
                    }
                    else
                    {
                        diagnostics?.Add(new Diagnostic(DiagnosticSeverity.Note, new SourceLocation(subdirectory.FullName, 0, 0), string.Empty,
                            $"skipped symbolic link to a directory ({subdirectory.LinkTarget}); name its target to load it", DiagnosticCodes.SkippedDocument));
                    }
                }
                else if (Extensions.Any(e => entry.Name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) && !IsEmptyOrSpecial(entry.FullName))
                {
                    files.Add(entry.FullName);
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(Path.GetRelativePath(directory, a), Path.GetRelativePath(directory, b)));
        return files;
    }

    /// <summary>
    /// True for entries that report length 0: they hold no policy, and FIFOs, sockets and device nodes —
    /// whose open or read can block until another process acts, which in a watched directory may be never —
    /// all report length 0 (the file type itself is not visible through .NET's file APIs).
    /// </summary>
    private static bool IsEmptyOrSpecial(string path)
    {
        try
        {
            return new FileInfo(path).Length == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A dangling link or an unreadable entry stays in the list, so that reading it reports why.
            return false;
        }
    }

    private static List<string> Expand(string path, List<Diagnostic> diagnostics)
    {
        if (Directory.Exists(path))
        {
            try
            {
                return PolicyFilesIn(path, diagnostics);
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
