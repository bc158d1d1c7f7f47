namespace Sluice.Daemon.Configuration;

/// <summary>The <c>metrics:</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>Default <see cref="Listen"/>: loopback on Hubble's metrics port.</summary>
    public const string DefaultListen = "127.0.0.1:9965";

    /// <summary><c>host:port</c> serving Prometheus <c>/metrics</c>; empty disables it.</summary>
    public string Listen { get; set; } = DefaultListen;
}
