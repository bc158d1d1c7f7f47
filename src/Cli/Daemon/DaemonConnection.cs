using System.CommandLine;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;

namespace Sluice.Cli.Daemon;

/// <summary>
/// How the CLI reaches sluiced: <c>--server unix:///run/sluice/hubble.sock</c> (the default) or
/// <c>host:port</c> / <c>https://host:port</c> for the TCP listener.
/// </summary>
internal static class DaemonConnection
{
    /// <summary>The default server, the daemon's default socket.</summary>
    public const string DefaultServer = "unix:///run/sluice/hubble.sock";

    /// <summary>The <c>--server</c> option shared by every command that talks to the daemon.</summary>
    public static Option<string> ServerOption() => new("--server")
    {
        Description = $"Address of sluiced: unix:///path/to.sock or host:port (default {DefaultServer}).",
        DefaultValueFactory = _ => DefaultServer,
    };

    /// <summary>A gRPC channel to <paramref name="server"/>.</summary>
    /// <exception cref="ArgumentException">The address is not unix://… or host:port.</exception>
    public static GrpcChannel Open(string server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = server["unix://".Length..];
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return GrpcChannel.ForAddress("http://sluiced", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        }

        string address = server.Contains("://", StringComparison.Ordinal) ? server : "https://" + server;
        return Uri.TryCreate(address, UriKind.Absolute, out _)
            ? GrpcChannel.ForAddress(address)
            : throw new ArgumentException($"'{server}' is not unix:///path or host:port", nameof(server));
    }

    /// <summary>Runs <paramref name="call"/> against the daemon; connection and RPC failures become one stderr line and exit 1.</summary>
    public static int Run(ParseResult parseResult, Option<string> server, Func<GrpcChannel, TextWriter, int> call)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        string address = parseResult.GetValue(server) ?? DefaultServer;
        try
        {
            using var channel = Open(address);
            return call(channel, output);
        }
        catch (RpcException ex)
        {
            error.WriteLine($"sluice: cannot query sluiced at {address}: {ex.Status.Detail}");
            return 1;
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"sluice: {ex.Message}");
            return 1;
        }
    }
}
