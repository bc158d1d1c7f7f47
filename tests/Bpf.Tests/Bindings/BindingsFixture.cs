using System.Buffers.Binary;

namespace Sluice.Bpf.Tests.Bindings;

/// <summary>Opens bpf/testing/bindings_fixture.bpf.o and drives its programs.</summary>
internal static class BindingsFixture
{
    public const string FileName = "testing/bindings_fixture.bpf.o";
    public const string RejectedFileName = "testing/verifier_reject.bpf.o";

    /// <summary>TC_ACT_OK / TC_ACT_SHOT (linux/pkt_cls.h).</summary>
    public const uint TcActOk = 0;
    public const uint TcActShot = 2;

    /// <summary>Indexes into fixture_state.</summary>
    public const uint NextSeqSlot = 0;
    public const uint RingFullSlot = 1;
    public const uint DiscardedSlot = 2;

    public static string ObjectPath => BpfObject.Locate(FileName);

    /// <summary>Opens the fixture; <paramref name="configure"/> runs before load.</summary>
    public static BpfObject OpenLoaded(Action<BpfObject>? configure = null)
    {
        var obj = BpfObject.Open(ObjectPath);
        try
        {
            configure?.Invoke(obj);
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>A minimal Ethernet + IPv4 frame to <paramref name="destination"/> (enough for fixture_echo's parse).</summary>
    public static byte[] Ipv4Frame(string destination)
    {
        var frame = new byte[14 + 20 + 8];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        frame[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 28);
        frame[22] = 64;
        frame[23] = 17;
        System.Net.IPAddress.Parse("10.0.0.1").GetAddressBytes().CopyTo(frame, 26);
        System.Net.IPAddress.Parse(destination).GetAddressBytes().CopyTo(frame, 30);
        return frame;
    }

    /// <summary>Runs fixture_emit: <paramref name="repeat"/> runs of <paramref name="perRun"/> records of
    /// <paramref name="size"/> bytes; every record whose seq is a multiple of <paramref name="discardEvery"/> is discarded.</summary>
    public static void Emit(BpfObject obj, uint perRun, uint size, uint repeat = 1, uint discardEvery = 0)
    {
        var context = SkbContext.Create(mark: perRun, priority: size, cb: [discardEvery]);
        var result = obj.GetProgram("fixture_emit").TestRun(Ipv4Frame("192.0.2.1"), context, repeat);
        Assert.Equal(TcActOk, result.ReturnValue);
    }

    public static ulong State(BpfObject obj, uint slot)
    {
        Assert.True(obj.GetMap("fixture_state").TryLookup(slot, out ulong value));
        return value;
    }
}
