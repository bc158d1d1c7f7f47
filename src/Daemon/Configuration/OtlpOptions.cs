namespace Sluice.Daemon.Configuration;

/// <summary>The <c>otlp:</c> section.</summary>
public sealed class OtlpOptions
{
    /// <summary>Collector URL; empty disables OTLP export.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>grpc | http/protobuf.</summary>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>Export one span per connection.</summary>
    public bool Traces { get; set; } = true;

    /// <summary>Export metrics.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Fraction of connections traced, 0–1; metrics and flow logs stay exact regardless.</summary>
    public double SampleRatio { get; set; } = 1.0;
}
