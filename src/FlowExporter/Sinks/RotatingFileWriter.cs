using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Sluice.FlowExporter.Sinks;

/// <summary>
/// Appends lines to a file and rotates it by size the way Hubble's exporter does (it uses lumberjack):
/// when the next line would pass <c>maxBytes</c>, the file is renamed to
/// <c>name-YYYY-MM-DDTHH-MM-SS.fff.ext</c> (UTC), optionally gzipped to <c>….ext.gz</c>, a new file is
/// started, and only the newest <c>maxBackups</c> rotated files are kept. Not thread-safe.
/// </summary>
public sealed class RotatingFileWriter : IDisposable
{
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _maxBackups;
    private readonly bool _compress;
    private readonly TimeProvider _time;
    private FileStream _stream;
    private string _lastBackup = string.Empty;
    private readonly byte[] _newline = "\n"u8.ToArray();

    /// <summary>Opens (appending to) <paramref name="path"/>, creating its directory.</summary>
    public RotatingFileWriter(string path, long maxBytes, int maxBackups, bool compress, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBackups);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _path = Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _maxBackups = maxBackups;
        _compress = compress;
        _time = timeProvider;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _stream = Open();
    }

    /// <summary>Files rotated so far.</summary>
    public int Rotations { get; private set; }

    /// <summary>Writes one line (a newline is appended).</summary>
    public void WriteLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int length = Encoding.UTF8.GetByteCount(line) + 1;
        if (_stream.Length > 0 && _stream.Length + length > _maxBytes)
        {
            Rotate();
        }

        var bytes = Encoding.UTF8.GetBytes(line);
        _stream.Write(bytes);
        _stream.Write(_newline);
    }

    /// <summary>Pushes buffered bytes to the file.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Rotated files currently kept, oldest first.</summary>
    public IReadOnlyList<string> Backups()
    {
        string directory = Path.GetDirectoryName(_path)!;
        string prefix = Path.GetFileNameWithoutExtension(_path) + "-";
        string extension = Path.GetExtension(_path);
        return [.. Directory.EnumerateFiles(directory, prefix + "*")
            .Where(f => f.EndsWith(extension, StringComparison.Ordinal) || f.EndsWith(extension + ".gz", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);

    private void Rotate()
    {
        _stream.Dispose();
        // Backup names sort chronologically; when two rotations fall in the same millisecond the later
        // one takes the next free millisecond so the order (and which backups are pruned) stays right.
        string directory = Path.GetDirectoryName(_path)!;
        var when = _time.GetUtcNow();
        string backup;
        do
        {
            string stamp = when.ToString("yyyy-MM-dd'T'HH-mm-ss.fff", CultureInfo.InvariantCulture);
            backup = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(_path)}-{stamp}{Path.GetExtension(_path)}");
            when = when.AddMilliseconds(1);
        }
        while (File.Exists(backup) || File.Exists(backup + ".gz") || string.CompareOrdinal(backup, _lastBackup) <= 0);

        _lastBackup = backup;
        File.Move(_path, backup);
        if (_compress)
        {
            using (var input = File.OpenRead(backup))
            using (var output = File.Create(backup + ".gz"))
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            {
                input.CopyTo(gzip);
            }

            File.Delete(backup);
        }

        Rotations++;
        var backups = Backups();
        for (int i = 0; i < backups.Count - _maxBackups; i++)
        {
            File.Delete(backups[i]);
        }

        _stream = Open();
    }
}
