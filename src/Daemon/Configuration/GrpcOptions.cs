namespace Sluice.Daemon.Configuration;

/// <summary>The <c>grpc:</c> section: where observer.Observer and the admin service are served.</summary>
public sealed class GrpcOptions
{
    /// <summary>Default <see cref="Socket"/>.</summary>
    public const string DefaultSocket = "/run/sluice/hubble.sock";

    /// <summary>Unix socket path (mode 0660); empty disables it.</summary>
    public string Socket { get; set; } = DefaultSocket;

    /// <summary><c>host:port</c> for TCP; empty (the default) serves the unix socket only. TCP requires TLS.</summary>
    public string Listen { get; set; } = string.Empty;

    /// <summary>TLS for the TCP listener.</summary>
    public TlsOptions Tls { get; set; } = new();
}
