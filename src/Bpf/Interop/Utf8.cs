using System.Runtime.InteropServices;
using System.Text;

namespace Sluice.Bpf.Interop;

/// <summary>NUL-terminated UTF-8 conversions for native string arguments and results.</summary>
internal static unsafe class Utf8
{
    /// <summary>Returns <paramref name="value"/> as UTF-8 with a terminating NUL, for a <c>fixed</c> pin.</summary>
    internal static byte[] Terminated(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{value.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character.", nameof(value));
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>Reads a NUL-terminated UTF-8 string (null for a null pointer).</summary>
    internal static string? Read(byte* value) => value == null ? null : Marshal.PtrToStringUTF8((nint)value);

    /// <summary>Reads a fixed-size char array that is NUL-terminated unless full (kernel object names).</summary>
    internal static string ReadFixed(byte* value, int capacity)
    {
        var span = new ReadOnlySpan<byte>(value, capacity);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
