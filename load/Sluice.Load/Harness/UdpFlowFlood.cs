using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Load.Harness;

/// <summary>
/// A flood of distinct UDP flows from a peer's namespace: <c>sources</c> sockets (each its own ephemeral
/// source port) each send one datagram to every destination port in turn, so every datagram of a pass is a
/// new 5-tuple — a new conntrack entry and a new-flow event in the datapath. Runs on the calling thread with
/// blocking sends; an optional rate cap paces in 1 ms slices.
/// </summary>
internal sealed class UdpFlowFlood : IDisposable
{
    private static readonly byte[] Payload = new byte[16];
    private readonly Socket[] _sockets;

    public UdpFlowFlood(string netns, int sources)
    {
        _sockets = Netns.Run(netns, () => Enumerable.Range(0, sources).Select(_ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Any, 0));
            return s;
        }).ToArray());
    }

    /// <summary>
    /// Sends up to <paramref name="flows"/> datagrams (flow i = source i / ports, destination port
    /// <paramref name="firstPort"/> + i % ports) at most <paramref name="perSecond"/> per second (0: no cap),
    /// until done or <paramref name="limit"/> passes. Returns how many were sent and how long it took.
    /// </summary>
    public (long Sent, TimeSpan Elapsed, long SendErrors) Send(string address, int firstPort, int ports, long flows, double perSecond, TimeSpan limit)
    {
        var target = IPAddress.Parse(address);
        var endpoints = Enumerable.Range(0, ports).Select(p => new IPEndPoint(target, firstPort + p)).ToArray();
        var clock = Stopwatch.StartNew();
        long sent = 0, errors = 0;
        while (sent < flows && clock.Elapsed < limit)
        {
            if (perSecond > 0 && sent > perSecond * clock.Elapsed.TotalSeconds)
            {
                Thread.Sleep(1);
                continue;
            }

            long flow = sent;
            var socket = _sockets[flow / ports % _sockets.Length];
            try
            {
                socket.SendTo(Payload, endpoints[flow % ports]);
            }
            catch (SocketException)
            {
                // ENOBUFS/ECONNREFUSED (an ICMP port unreachable from an earlier datagram) — the datagram
                // still counts as an attempted flow; the error count is reported beside it.
                errors++;
            }

            sent++;
        }

        return (sent, clock.Elapsed, errors);
    }

    public void Dispose()
    {
        foreach (var s in _sockets)
        {
            s.Dispose();
        }
    }
}
