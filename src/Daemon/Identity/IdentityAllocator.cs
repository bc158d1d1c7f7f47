using System.Text.Json;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;

namespace Sluice.Daemon.Identities;

/// <summary>
/// Gives each distinct label set a numeric identity from 256 up (Cilium's first label-derived identity)
/// and remembers it in <c>&lt;stateDir&gt;/identities.json</c>, so the same labels get the same number after
/// a restart — which is what lets a restarted daemon re-adopt pinned policy maps without renumbering.
/// Numbers are never reused while the file exists: an identity that went out of use keeps its number in
/// case its labels come back. Thread-safe.
/// </summary>
public sealed class IdentityAllocator
{
    /// <summary>The state file's name under the state directory.</summary>
    public const string FileName = "identities.json";

    /// <summary>Largest label-derived identity: the top 8 bits of an identity are its scope (Cilium).</summary>
    public const uint MaxLabelIdentity = IdentityScope.LocalScopeBase - 1;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, uint> _byLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, LabelSet> _byId = [];
    private readonly string _path;
    private uint _next = IdentityScope.FirstLabelIdentity;

    private IdentityAllocator(string path) => _path = path;

    /// <summary>Where allocations are persisted.</summary>
    public string StatePath => _path;

    /// <summary>Every allocation, by number.</summary>
    public IReadOnlyDictionary<uint, LabelSet> Allocations
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<uint, LabelSet>(_byId);
            }
        }
    }

    /// <summary>
    /// Opens the allocator over <paramref name="stateDir"/>, loading earlier allocations. A missing file is
    /// a fresh start; an unreadable or corrupt one is an error, never silently replaced (renumbering would
    /// make pinned policy maps select the wrong peers).
    /// </summary>
    /// <exception cref="InvalidDataException">The state file exists but is not a valid allocation file.</exception>
    public static IdentityAllocator Open(string stateDir)
    {
        ArgumentNullException.ThrowIfNull(stateDir);
        Directory.CreateDirectory(stateDir);
        var allocator = new IdentityAllocator(Path.Combine(stateDir, FileName));
        if (!File.Exists(allocator._path))
        {
            return allocator;
        }

        IdentityStateFile? state;
        try
        {
            state = JsonSerializer.Deserialize(File.ReadAllText(allocator._path), IdentityStateJsonContext.Default.IdentityStateFile);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{allocator._path}: not a valid identity state file ({ex.Message}); fix or remove it (removing renumbers every identity)", ex);
        }

        if (state is null || state.Version != IdentityStateFile.CurrentVersion)
        {
            throw new InvalidDataException($"{allocator._path}: unsupported identity state version {state?.Version}");
        }

        foreach (var entry in state.Identities)
        {
            if (entry.Id is < IdentityScope.FirstLabelIdentity or > MaxLabelIdentity)
            {
                throw new InvalidDataException($"{allocator._path}: identity {entry.Id} is outside {IdentityScope.FirstLabelIdentity}–{MaxLabelIdentity}");
            }

            LabelSet labels;
            try
            {
                labels = LabelSet.Parse(entry.Labels);
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"{allocator._path}: identity {entry.Id}: {ex.Message}", ex);
            }

            if (!allocator._byId.TryAdd(entry.Id, labels) || !allocator._byLabels.TryAdd(labels.ToString(), entry.Id))
            {
                throw new InvalidDataException($"{allocator._path}: identity {entry.Id} or its labels '{labels}' appear twice");
            }

            allocator._next = Math.Max(allocator._next, entry.Id + 1);
        }

        return allocator;
    }

    /// <summary>
    /// The identity for <paramref name="labels"/>: the number it had before, or the next free one, persisted
    /// before this returns (write to a temporary file, fsync, rename over the old one).
    /// </summary>
    /// <exception cref="InvalidOperationException">The label-derived identity space is exhausted.</exception>
    public uint Allocate(LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        string key = labels.ToString();
        lock (_lock)
        {
            if (_byLabels.TryGetValue(key, out uint existing))
            {
                return existing;
            }

            if (_next > MaxLabelIdentity)
            {
                throw new InvalidOperationException($"no free label identity left ({IdentityScope.FirstLabelIdentity}–{MaxLabelIdentity} used)");
            }

            uint id = _next++;
            _byLabels[key] = id;
            _byId[id] = labels;
            try
            {
                Save();
            }
            catch
            {
                _byLabels.Remove(key);
                _byId.Remove(id);
                _next--;
                throw;
            }

            return id;
        }
    }

    /// <summary>The labels of an allocated identity, if any.</summary>
    public bool TryGetLabels(uint id, out LabelSet labels)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var found))
            {
                labels = found;
                return true;
            }
        }

        labels = LabelSet.Empty;
        return false;
    }

    private void Save()
    {
        var state = new IdentityStateFile
        {
            Version = IdentityStateFile.CurrentVersion,
            Identities = [.. _byId.OrderBy(kv => kv.Key).Select(kv => new IdentityStateEntry { Id = kv.Key, Labels = [.. kv.Value.Select(l => l.ToString())] })],
        };
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(state, IdentityStateJsonContext.Default.IdentityStateFile);
        AtomicFile.Write(_path, bytes);
    }
}
