using System.Runtime.InteropServices;

namespace Sluice.Bpf.Tests.Bindings;

// C# mirrors of the structs in bpf/testing/bindings_fixture.bpf.c; BtfTests proves they match the object's BTF.

/// <summary>struct fixture_config (the object's .rodata).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FixtureConfig
{
    public uint Verdict;
    public uint MarkAdd;
    public ulong Magic;
}

/// <summary>struct fixture_key (fixture_hash keys).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct FixtureKey(uint A, uint B);

/// <summary>struct fixture_value (fixture_hash values).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct FixtureValue(ulong X, ulong Y);

/// <summary>struct fixture_lpm_key: prefix length then an IPv4 address in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FixtureLpmKey
{
    public uint PrefixLength;
    public fixed byte Address[4];

    public static FixtureLpmKey For(string address, uint prefixLength)
    {
        var key = new FixtureLpmKey { PrefixLength = prefixLength };
        var bytes = System.Net.IPAddress.Parse(address).GetAddressBytes();
        for (var i = 0; i < 4; i++)
        {
            key.Address[i] = bytes[i];
        }

        return key;
    }
}

/// <summary>struct fixture_record: the header of every record fixture_emit writes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FixtureRecord
{
    public ulong Seq;
    public uint Size;
    public uint Cpu;
}

/// <summary>Four address bytes as an inline array (the shape the datapath's ABI structs use).</summary>
[System.Runtime.CompilerServices.InlineArray(4)]
internal struct FourBytes
{
    private byte element;
}

/// <summary>struct fixture_lpm_key again, with its address as an inline array instead of a fixed buffer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InlineArrayLpmKey
{
    public uint PrefixLength;
    public FourBytes Address;
}
