using System.Runtime.InteropServices;

namespace Sluice.Bpf.Abi;

/// <summary>Mirror of <c>struct sluice_ipcache_value</c>. A lookup miss means identity WORLD (2).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct IpcacheValue
{
    /// <summary>sizeof(struct sluice_ipcache_value).</summary>
    public const int Size = 4;

    /// <summary>The identity of addresses under the key's prefix.</summary>
    public uint Identity;
}
