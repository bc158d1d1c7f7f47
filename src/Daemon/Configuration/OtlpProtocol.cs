namespace Sluice.Daemon.Configuration;

/// <summary>OTLP transports (<c>otlp.protocol</c>).</summary>
public enum OtlpProtocol
{
    /// <summary>OTLP over gRPC (<c>grpc</c>).</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies (<c>http/protobuf</c>).</summary>
    HttpProtobuf,
}
