using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Load.Harness;

/// <summary>
/// A minimal HTTP/1.1 keep-alive responder listening inside a peer's namespace: every request (headers
/// ended by an empty line; pipelined requests counted one by one) gets the same 2-byte 200 response. Small
/// and allocation-free per request so the benchmark measures the network path, not a web framework. With
/// <c>http: false</c> it only accepts and closes, which is all a connect probe needs.
/// </summary>
internal sealed class TcpResponder : IDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpResponder(string netns, int port, bool http)
    {
        _listener = Netns.Run(netns, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Any, port));
            s.Listen(1024);
            return s;
        });
        _accepting = Task.Run(() => AcceptLoop(http));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _accepting.Wait(2000);
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Counts the ends of request headers (an empty line, "\r\n\r\n") in <paramref name="data"/>;
    /// <paramref name="matched"/> carries how much of that sequence the bytes before ended with, so a
    /// terminator split across reads is counted once.
    /// </summary>
    internal static int CountRequestEnds(ReadOnlySpan<byte> data, ref int matched)
    {
        int requests = 0;
        foreach (byte b in data)
        {
            byte expected = matched % 2 == 0 ? (byte)'\r' : (byte)'\n';
            matched = b == expected ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4)
            {
                requests++;
                matched = 0;
            }
        }

        return requests;
    }

    private static async Task Serve(Socket connection, CancellationToken stop)
    {
        using (connection)
        {
            connection.NoDelay = true;
            var buffer = new byte[8192];
            int matched = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    int n = await connection.ReceiveAsync(buffer, SocketFlags.None, stop);
                    if (n == 0)
                    {
                        return;
                    }

                    int requests = CountRequestEnds(buffer.AsSpan(0, n), ref matched);
                    for (int r = 0; r < requests; r++)
                    {
                        await connection.SendAsync(Response, SocketFlags.None, stop);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task AcceptLoop(bool http)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (http)
            {
                _ = Serve(connection, _stop.Token);
            }
            else
            {
                connection.Dispose();
            }
        }
    }
}
