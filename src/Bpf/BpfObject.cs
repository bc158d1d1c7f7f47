using System.Runtime.InteropServices;
using System.Text;
using Sluice.Bpf.Interop;

namespace Sluice.Bpf;

/// <summary>
/// An eBPF ELF object opened by libbpf: its maps and programs, configured before <see cref="Load"/> and
/// usable after it. Disposing closes the object (programs unload unless attached or pinned; maps go away
/// unless pinned or still referenced).
/// </summary>
public sealed unsafe class BpfObject : IDisposable
{
    /// <summary>Directory (beside the assembly) holding the compiled objects: <c>bpf/&lt;name&gt;.bpf.o</c>.</summary>
    public const string ObjectDirectoryName = "bpf";

    // The kernel writes the verifier log here when a program fails to load. 16 MiB of address space is
    // reserved but only touched pages cost memory; a log longer than this is cut by the kernel (rotating
    // log, 6.4+) and still ends with the rejected instruction.
    private const int KernelLogSize = 16 * 1024 * 1024;

    private readonly SafeBpfObjectHandle handle;
    private readonly string name;
    private byte* kernelLog;
    private byte* image;
    private List<BpfMap>? maps;
    private List<BpfProgram>? programs;

    private BpfObject(SafeBpfObjectHandle handle, string name, byte* kernelLog, byte* image)
    {
        this.handle = handle;
        this.name = name;
        this.kernelLog = kernelLog;
        this.image = image;
    }

    /// <summary>The name used in messages (the file name or the name given to <see cref="OpenMemory"/>).</summary>
    public string Name => name;

    /// <summary>True once <see cref="Load"/> succeeded.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>Every map of the object, including libbpf's internal ones (<c>.rodata</c>, <c>.bss</c>, …).</summary>
    public IReadOnlyList<BpfMap> Maps => maps ??= EnumerateMaps();

    /// <summary>Every program of the object.</summary>
    public IReadOnlyList<BpfProgram> Programs => programs ??= EnumeratePrograms();

    internal bool IsClosed => handle.IsClosed;

    /// <summary>Opens an object file (<c>bpf_object__open_file</c>); nothing is loaded into the kernel yet.</summary>
    /// <exception cref="BpfException">The file is missing or not a valid BPF object; the message carries libbpf's reason.</exception>
    public static BpfObject Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kernelLog = AllocateKernelLog();
        var options = NewOpenOptions(kernelLog);
        var pathBytes = Utf8.Terminated(path);
        using var capture = LibbpfLog.BeginCapture();
        nint obj;
        fixed (byte* pathPointer = pathBytes)
        {
            obj = Libbpf.ObjectOpenFile(pathPointer, &options);
        }

        if (obj == nint.Zero)
        {
            var error = BpfException.FromLastError("open BPF object", path, capture.Text);
            NativeMemory.Free(kernelLog);
            throw error;
        }

        return new BpfObject(new SafeBpfObjectHandle(obj), Path.GetFileName(path), kernelLog, null);
    }

    /// <summary>Opens an object from an in-memory ELF image (<c>bpf_object__open_mem</c>).</summary>
    /// <param name="image">The ELF bytes; copied, so the caller's buffer may be reused at once.</param>
    /// <param name="name">The object name libbpf uses (it prefixes internal map names such as <c>name.rodata</c>).</param>
    public static BpfObject OpenMemory(ReadOnlySpan<byte> image, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (image.IsEmpty)
        {
            throw new ArgumentException("The object image is empty.", nameof(image));
        }

        // libbpf parses the ELF in place, so the copy lives as long as the object.
        var copy = (byte*)NativeMemory.Alloc((nuint)image.Length);
        image.CopyTo(new Span<byte>(copy, image.Length));
        var kernelLog = AllocateKernelLog();
        var options = NewOpenOptions(kernelLog);
        var objectName = Utf8.Terminated(ObjectNameOf(name));
        using var capture = LibbpfLog.BeginCapture();
        nint obj;
        fixed (byte* namePointer = objectName)
        {
            options.ObjectName = namePointer;
            obj = Libbpf.ObjectOpenMemory(copy, (nuint)image.Length, &options);
        }

        if (obj == nint.Zero)
        {
            var error = BpfException.FromLastError("open BPF object from memory", name, capture.Text);
            NativeMemory.Free(kernelLog);
            NativeMemory.Free(copy);
            throw error;
        }

        return new BpfObject(new SafeBpfObjectHandle(obj), name, kernelLog, copy);
    }

    /// <summary>Opens an object embedded in this assembly at build time (<c>bpf/&lt;fileName&gt;</c>), so a
    /// single-file deployment needs no files beside it.</summary>
    /// <param name="fileName">For example <c>sluice.bpf.o</c> or <c>testing/bindings_fixture.bpf.o</c>.</param>
    public static BpfObject OpenEmbedded(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var resourceName = ObjectDirectoryName + "/" + fileName.Replace('\\', '/');
        using var stream = typeof(BpfObject).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new BpfException(
                Errno.ENOENT,
                "open embedded BPF object",
                resourceName,
                "embedded objects: " + string.Join(", ", typeof(BpfObject).Assembly.GetManifestResourceNames()
                    .Where(n => n.StartsWith(ObjectDirectoryName + "/", StringComparison.Ordinal))));
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return OpenMemory(bytes, Path.GetFileName(fileName));
    }

    /// <summary>The full path of a compiled object beside the application: <c>AppContext.BaseDirectory/bpf/&lt;fileName&gt;</c>.</summary>
    /// <exception cref="FileNotFoundException">No such file; the message names every path tried.</exception>
    public static string Locate(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var candidates = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, ObjectDirectoryName, fileName),
        };
        var assemblyDirectory = Path.GetDirectoryName(typeof(BpfObject).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            candidates.Add(Path.Combine(assemblyDirectory, ObjectDirectoryName, fileName));
        }

        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new FileNotFoundException(
            $"BPF object '{fileName}' not found; tried: {string.Join(", ", candidates.Distinct(StringComparer.Ordinal))}. " +
            "It is built by 'make -C bpf' and copied there by the Sluice.Bpf build.",
            fileName);
    }

    /// <summary>The map called <paramref name="mapName"/> (for internal maps also <c>.rodata</c>, <c>.bss</c>, …).</summary>
    /// <exception cref="BpfException">ENOENT naming the object and the maps it has.</exception>
    public BpfMap GetMap(string mapName)
    {
        ArgumentException.ThrowIfNullOrEmpty(mapName);
        var map = Maps.FirstOrDefault(m => m.Name == mapName);
        if (map is not null)
        {
            return map;
        }

        // libbpf also matches an internal map by its section name (".rodata" for "obj.rodata").
        var mapBytes = Utf8.Terminated(mapName);
        nint pointer;
        fixed (byte* namePointer = mapBytes)
        {
            pointer = Libbpf.ObjectFindMapByName(Handle(), namePointer);
        }

        return Maps.FirstOrDefault(m => m.Pointer == pointer && pointer != nint.Zero)
            ?? throw new BpfException(
                Errno.ENOENT,
                "find map",
                $"'{mapName}' in {name}",
                "maps in the object: " + string.Join(", ", Maps.Select(m => m.Name)));
    }

    /// <summary>The program whose function name is <paramref name="programName"/>.</summary>
    /// <exception cref="BpfException">ENOENT naming the object and the programs it has.</exception>
    public BpfProgram GetProgram(string programName)
    {
        ArgumentException.ThrowIfNullOrEmpty(programName);
        return Programs.FirstOrDefault(p => p.Name == programName)
            ?? throw new BpfException(
                Errno.ENOENT,
                "find program",
                $"'{programName}' in {name}",
                "programs in the object: " + string.Join(", ", Programs.Select(p => p.Name)));
    }

    /// <summary>Creates the maps and loads the programs into the kernel (<c>bpf_object__load</c>).</summary>
    /// <exception cref="BpfException">The load failed; for a verifier rejection the message ends with the verifier log.</exception>
    public void Load()
    {
        if (IsLoaded)
        {
            throw new InvalidOperationException($"BPF object {name} is already loaded.");
        }

        var obj = Handle();
        using var capture = LibbpfLog.BeginCapture();
        if (kernelLog != null)
        {
            kernelLog[0] = 0;
        }

        var result = Libbpf.ObjectLoad(obj);
        if (result < 0)
        {
            var details = new StringBuilder(capture.Text);
            var verifierLog = kernelLog == null ? null : Utf8.Read(kernelLog);
            if (!string.IsNullOrWhiteSpace(verifierLog))
            {
                details.Append("\n-- verifier log (tail) --\n").Append(Tail(verifierLog, 60));
            }

            throw new BpfException(-result, "load BPF object", name, details: details.ToString());
        }

        IsLoaded = true;
        FreeKernelLog();
    }

    /// <summary>Closes the object.</summary>
    public void Dispose()
    {
        handle.Dispose();
        FreeKernelLog();
        if (image != null)
        {
            NativeMemory.Free(image);
            image = null;
        }
    }

    /// <summary>The native object pointer; throws once disposed.</summary>
    internal nint Handle()
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        return handle.DangerousGetHandle();
    }

    private static byte* AllocateKernelLog()
    {
        var log = (byte*)NativeMemory.Alloc(KernelLogSize);
        log[0] = 0;
        return log;
    }

    private static BpfObjectOpenOptions NewOpenOptions(byte* kernelLog) => new()
    {
        Sz = BpfObjectOpenOptions.Size,
        KernelLogBuffer = kernelLog,
        KernelLogSize = KernelLogSize,

        // Level 0: libbpf asks for the log only when a load fails, then retries with level 1 into this buffer.
        KernelLogLevel = 0,
    };

    // libbpf derives internal map names from the object name ("<name>.rodata"); like open_file, drop the
    // ".bpf.o" so "x.bpf.o" opened from memory names its maps exactly as when opened from disk.
    private static string ObjectNameOf(string name)
    {
        var fileName = Path.GetFileName(name);
        var dot = fileName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? fileName[..dot] : fileName;
    }

    private static string Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return all.Length <= lines ? string.Join('\n', all) : "…\n" + string.Join('\n', all[^lines..]);
    }

    private void FreeKernelLog()
    {
        if (kernelLog != null)
        {
            NativeMemory.Free(kernelLog);
            kernelLog = null;
        }
    }

    private List<BpfMap> EnumerateMaps()
    {
        var obj = Handle();
        var result = new List<BpfMap>();
        for (var map = Libbpf.ObjectNextMap(obj, nint.Zero); map != nint.Zero; map = Libbpf.ObjectNextMap(obj, map))
        {
            result.Add(new BpfMap(this, map));
        }

        return result;
    }

    private List<BpfProgram> EnumeratePrograms()
    {
        var obj = Handle();
        var result = new List<BpfProgram>();
        for (var program = Libbpf.ObjectNextProgram(obj, nint.Zero); program != nint.Zero; program = Libbpf.ObjectNextProgram(obj, program))
        {
            result.Add(new BpfProgram(this, program));
        }

        return result;
    }
}
