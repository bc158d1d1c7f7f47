using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Sluice.Bpf.Interop;

/// <summary>
/// Routes libbpf's log output (<c>libbpf_set_print</c>, process-wide) so that the messages an operation
/// produces ("elf: not an ELF file", "map 'x': failed to create: ...") end up in that operation's
/// <see cref="BpfException"/> instead of on stderr. Capture is per thread: libbpf calls the print
/// function synchronously on the thread that made the failing call. Warnings printed while nothing
/// captures go to stderr, as libbpf's default printer does; debug chatter is dropped.
/// </summary>
internal static unsafe class LibbpfLog
{
    private const int LevelWarning = 0;
    private const int LevelInfo = 1;
    private const int MaxCapturedChars = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? captured;

    private static int installed;

    /// <summary>Installs the print callback once per process.</summary>
    internal static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
        {
            Libbpf.SetPrint(&Print);
        }
    }

    /// <summary>Starts capturing this thread's libbpf messages; dispose the result to stop.</summary>
    internal static Capture BeginCapture()
    {
        EnsureInstalled();
        var previous = captured;
        captured = new StringBuilder();
        return new Capture(captured, previous);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Print(int level, byte* format, nint arguments)
    {
        // An exception must not unwind into libbpf: every path below is guarded.
        try
        {
            // libbpf's debug level is a trace of every relocation and map; neither the exceptions nor
            // stderr need it (libbpf's own default printer drops it too).
            if (level > LevelInfo)
            {
                return 0;
            }

            // The verifier log is also written to the kernel_log_buf BpfObject supplies, untruncated;
            // the copy libbpf prints would be cut at the buffer size below, so a capture skips it.
            if (captured is not null && IsProgramLoadLog(format))
            {
                return 0;
            }

            const int bufferSize = 4096;
            var buffer = stackalloc byte[bufferSize];
            var written = Libc.VsnPrintf(buffer, bufferSize, format, arguments);
            if (written < 0)
            {
                return 0;
            }

            var text = Encoding.UTF8.GetString(buffer, Math.Min(written, bufferSize - 1));
            var sink = captured;
            if (sink is not null)
            {
                if (sink.Length < MaxCapturedChars)
                {
                    sink.Append(text);
                }
            }
            else if (level == LevelWarning)
            {
                Console.Error.Write("libbpf: " + text);
            }
        }
        catch (Exception)
        {
            // Logging is best effort; losing a line beats crashing inside a native callback.
        }

        return 0;
    }

    private static bool IsProgramLoadLog(byte* format)
    {
        var text = Utf8.Read(format);
        return text is not null && text.Contains("BEGIN PROG LOAD LOG", StringComparison.Ordinal);
    }

    /// <summary>An active capture; <see cref="Text"/> holds what libbpf printed so far.</summary>
    internal readonly struct Capture : IDisposable
    {
        private readonly StringBuilder current;
        private readonly StringBuilder? previous;

        internal Capture(StringBuilder current, StringBuilder? previous)
        {
            this.current = current;
            this.previous = previous;
        }

        /// <summary>The captured messages, trimmed.</summary>
        internal string Text => current.ToString().Trim();

        public void Dispose() => captured = previous;
    }
}
