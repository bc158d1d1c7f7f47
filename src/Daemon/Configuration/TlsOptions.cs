namespace Sluice.Daemon.Configuration;

/// <summary>The <c>grpc.tls:</c> section (PEM files).</summary>
public sealed class TlsOptions
{
    /// <summary>Server certificate chain.</summary>
    public string Cert { get; set; } = string.Empty;

    /// <summary>Server private key.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>CA that client certificates must chain to; set → mutual TLS.</summary>
    public string ClientCa { get; set; } = string.Empty;

    /// <summary>Whether a certificate and key are configured.</summary>
    public bool Enabled => Cert.Length > 0 || Key.Length > 0;
}
