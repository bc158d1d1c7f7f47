namespace Sluice.Bpf.Tests.Support;

/// <summary>TCP header flag bits (byte 13 of the header).</summary>
public static class TcpFlagBits
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Psh = 0x08;
    public const byte Ack = 0x10;
}
