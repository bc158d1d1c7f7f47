using System.Diagnostics.CodeAnalysis;

namespace Sluice.Bpf;

/// <summary>Flags for map updates (<c>BPF_ANY</c>, <c>BPF_NOEXIST</c>, <c>BPF_EXIST</c> in linux/bpf.h).</summary>
[SuppressMessage("Design", "CA1028:Enum storage should be Int32", Justification = "Mirrors the kernel's __u64 flags argument.")]

[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Named after the kernel's map update flags.")]
public enum MapUpdateFlags : ulong
{
    /// <summary>Create the element or overwrite it.</summary>
    Any = 0,

    /// <summary>Create only; fail with EEXIST if the key is present.</summary>
    NoExist = 1,

    /// <summary>Overwrite only; fail with ENOENT if the key is absent.</summary>
    Exist = 2,
}
