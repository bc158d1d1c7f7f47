using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Sluice.Daemon.Api;
using Sluice.Daemon.Configuration;
using Sluice.FlowExporter.Observer;

namespace Sluice.Daemon.Hosting;

/// <summary>
/// Composition of sluiced (DESIGN §4): the runtime is started first (datapath, first reconcile, flow
/// pipeline), then a web host serves observer.Observer and the admin service on the unix socket (mode
/// 0660) and, with TLS, on TCP, and Prometheus on <c>metrics.listen</c>; the reconcile loop and systemd
/// notifications run as hosted services.
/// </summary>
public static class DaemonHost
{
    /// <summary>Exit code for a clean stop.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code for an invalid configuration or command line.</summary>
    public const int ExitConfig = 2;

    /// <summary>Exit code for any other fatal start-up or run-time error (systemd restarts on it).</summary>
    public const int ExitFatal = 1;

    /// <summary>Runs the daemon until SIGTERM/SIGINT; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string configPath, bool explicitConfig, bool printFlows, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b =>
        {
            if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 })
            {
                b.AddSystemdConsole();
            }
            else
            {
                b.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                });
            }

            // Flow lines on stdout (--print-flows) stay parseable: logs go to stderr.
            b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            b.SetMinimumLevel(Environment.GetEnvironmentVariable("SLUICE_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var l) ? l : LogLevel.Information);
        });
        var logger = loggers.CreateLogger("Sluice.Daemon");

        SluiceOptions options;
        try
        {
            options = SluiceConfigParser.Load(configPath, explicitConfig);
        }
        catch (ConfigurationException ex)
        {
            DaemonLog.StartupFailed(logger, ex.Message);
            await Console.Error.WriteLineAsync($"sluiced: {ex.Message}").ConfigureAwait(false);
            return ExitConfig;
        }

        DaemonLog.Starting(logger, configPath, options.NodeName);
        DaemonRuntime runtime;
        try
        {
            runtime = DaemonRuntime.Start(options, printFlows, loggers, TimeProvider.System);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any start-up failure is fatal and reported in one line; systemd restarts on the non-zero exit.
            DaemonLog.StartupFailed(logger, ex.Message);
            await Console.Error.WriteLineAsync($"sluiced: cannot start: {ex.Message}").ConfigureAwait(false);
            return ExitFatal;
        }

        await using (runtime.ConfigureAwait(false))
        {
            WebApplication app;
            try
            {
                app = Build(runtime, loggers);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                DaemonLog.StartupFailed(logger, ex.Message);
                await Console.Error.WriteLineAsync($"sluiced: cannot start: {ex.Message}").ConfigureAwait(false);
                return ExitFatal;
            }

            try
            {
                await app.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // Typically a listen address in use.
                DaemonLog.StartupFailed(logger, ex.Message);
                await Console.Error.WriteLineAsync($"sluiced: {ex.Message}").ConfigureAwait(false);
                return ExitFatal;
            }
            finally
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }

        return ExitOk;
    }

    private static WebApplication Build(DaemonRuntime runtime, ILoggerFactory loggers)
    {
        var options = runtime.Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(runtime.Observer);
        builder.Services.AddSingleton<ObserverService>(runtime.Observer);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReconcileLoopService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReconcileLoopService>());
        builder.Services.AddHostedService<SystemdNotifyService>();
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = false);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.Grpc.Socket.Length > 0)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(options.Grpc.Socket)!);

                // A socket file left by a killed process would make bind() fail with EADDRINUSE.
                File.Delete(options.Grpc.Socket);
                kestrel.ListenUnixSocket(options.Grpc.Socket, o => o.Protocols = HttpProtocols.Http2);
            }

            if (options.Grpc.Listen.Length > 0 && ListenAddress.TryParse(options.Grpc.Listen, out var grpcAddress, out _))
            {
                var certificate = X509Certificate2.CreateFromPemFile(options.Grpc.Tls.Cert, options.Grpc.Tls.Key);
                X509Certificate2Collection? clientCa = options.Grpc.Tls.ClientCa.Length > 0 ? LoadCa(options.Grpc.Tls.ClientCa) : null;
                Listen(kestrel, grpcAddress!, o =>
                {
                    o.Protocols = HttpProtocols.Http2;
                    o.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        if (clientCa is not null)
                        {
                            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                            https.ClientCertificateValidation = (cert, _, _) =>
                            {
                                using var chain = new X509Chain();
                                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                                chain.ChainPolicy.CustomTrustStore.AddRange(clientCa);
                                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                                return chain.Build(cert);
                            };
                        }
                    });
                });
            }

            if (options.Metrics.Listen.Length > 0 && ListenAddress.TryParse(options.Metrics.Listen, out var metricsAddress, out _))
            {
                Listen(kestrel, metricsAddress!, o => o.Protocols = HttpProtocols.Http1);
            }
        });

        var app = builder.Build();
        app.MapGrpcService<ObserverService>();
        app.MapGrpcService<AdminService>();
        app.MapMetrics("/metrics");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (options.Grpc.Socket.Length > 0 && File.Exists(options.Grpc.Socket))
            {
                // 0660: the CLI reaches the daemon through group membership, never world-writable.
                File.SetUnixFileMode(options.Grpc.Socket,
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }
        });
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, Action<ListenOptions> configure)
    {
        if (address.IsLocalhost)
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (address.Address is null)
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
        else
        {
            kestrel.Listen(address.Address, address.Port, configure);
        }
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }
}
