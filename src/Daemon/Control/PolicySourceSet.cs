using Sluice.Policy.Model;
using Sluice.Policy.Parsing;

namespace Sluice.Daemon.Control;

/// <summary>
/// The policy files of the configured directories, each accepted or rejected on its own: a file with any
/// error is rejected whole and its last good version (if it had one) stays in force (DESIGN §5). Parsed
/// documents of unchanged files are kept as the same objects, so the policy engine's
/// <c>ReplacePolicies</c> recomputes only what changed.
/// </summary>
public sealed class PolicySourceSet
{
    private readonly IReadOnlyList<string> _dirs;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (string Text, IReadOnlyList<PolicyDocument> Documents)> _good = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Text, RejectedSource Rejection)> _rejected = new(StringComparer.Ordinal);

    /// <summary>Creates the set over <paramref name="dirs"/>.</summary>
    public PolicySourceSet(IReadOnlyList<string> dirs, TimeProvider time)
    {
        _dirs = dirs;
        _time = time;
    }

    /// <summary>Files rejected in their latest version.</summary>
    public IReadOnlyList<RejectedSource> Rejected => [.. _rejected.Values.Select(r => r.Rejection).OrderBy(r => r.Path, StringComparer.Ordinal)];

    /// <summary>
    /// Re-reads every policy file. Returns the documents in force, keyed <c>file#index</c> (so two files may
    /// hold policies of the same name without one silently replacing the other), in file order.
    /// </summary>
    public IReadOnlyList<(string Key, PolicyDocument Document)> Reload()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in _dirs)
        {
            IReadOnlyList<string> files;
            try
            {
                files = Directory.Exists(dir) ? PolicyLoader.PolicyFilesIn(dir) : [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Reject(dir, string.Empty, [new SourceError(0, 0, $"cannot list directory: {ex.Message}")]);
                seen.Add(dir);
                continue;
            }

            foreach (var file in files)
            {
                seen.Add(file);
                string text;
                try
                {
                    text = File.ReadAllText(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Vanished between listing and reading (an editor's rename dance): the next event reloads it.
                    if (!File.Exists(file))
                    {
                        seen.Remove(file);
                        continue;
                    }

                    Reject(file, string.Empty, [new SourceError(0, 0, $"cannot read: {ex.Message}")]);
                    continue;
                }

                if (_good.TryGetValue(file, out var good) && good.Text == text)
                {
                    _rejected.Remove(file);
                    continue;
                }

                if (_rejected.TryGetValue(file, out var rejected) && rejected.Text == text)
                {
                    continue;
                }

                var result = PolicyParser.ParseText(text, file);
                if (result.HasErrors)
                {
                    Reject(file, text, [.. result.Errors.Select(e => new SourceError(e.Location.Line, e.Location.Column,
                        string.IsNullOrEmpty(e.FieldPath) ? e.Message : $"{e.FieldPath}: {e.Message}"))]);
                }
                else
                {
                    _good[file] = (text, result.Documents);
                    _rejected.Remove(file);
                }
            }
        }

        foreach (var gone in _good.Keys.Concat(_rejected.Keys).Where(f => !seen.Contains(f)).ToList())
        {
            _good.Remove(gone);
            _rejected.Remove(gone);
        }

        return [.. _good.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => kv.Value.Documents.Select((d, i) => ($"{kv.Key}#{i}", d)))];
    }

    private void Reject(string path, string text, IReadOnlyList<SourceError> errors) =>
        _rejected[path] = (text, new RejectedSource(path, errors, _time.GetUtcNow()));
}
