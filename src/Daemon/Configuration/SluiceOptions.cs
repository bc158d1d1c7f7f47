namespace Sluice.Daemon.Configuration;

/// <summary>
/// The daemon configuration of DESIGN §4.2 (<c>/etc/sluice/sluice.yaml</c>). Every key is optional; a new
/// instance holds the documented defaults. Parsed by <see cref="SluiceConfigParser"/>, checked by
/// <see cref="SluiceOptionsValidator"/> before the daemon starts.
/// </summary>
public sealed class SluiceOptions
{
    /// <summary>Where the config is read from when <c>--config</c> is not given.</summary>
    public const string DefaultConfigPath = "/etc/sluice/sluice.yaml";

    /// <summary>Default <see cref="StateDir"/>.</summary>
    public const string DefaultStateDir = "/var/lib/sluice";

    /// <summary>Default <see cref="BpfPinDir"/>.</summary>
    public const string DefaultBpfPinDir = "/sys/fs/bpf/sluice";

    /// <summary>Default <see cref="EndpointsFile"/>.</summary>
    public const string DefaultEndpointsFile = "/etc/sluice/endpoints.yaml";

    /// <summary>The node name flows carry (<c>node_name</c>); the host name by default.</summary>
    public string NodeName { get; set; } = DefaultNodeName();

    /// <summary>Directory for identity allocations and other persisted state.</summary>
    public string StateDir { get; set; } = DefaultStateDir;

    /// <summary>bpffs directory the maps are pinned under, so enforcement continues across restarts.</summary>
    public string BpfPinDir { get; set; } = DefaultBpfPinDir;

    /// <summary>Policy sources and enforcement.</summary>
    public PolicyOptions Policy { get; set; } = new();

    /// <summary>The endpoints file (DESIGN §4.3).</summary>
    public string EndpointsFile { get; set; } = DefaultEndpointsFile;

    /// <summary>Flow ring, aggregation and the flow log.</summary>
    public FlowsOptions Flows { get; set; } = new();

    /// <summary>Prometheus endpoint.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>Hubble-compatible gRPC (observer.Observer) and the admin service.</summary>
    public GrpcOptions Grpc { get; set; } = new();

    /// <summary>OpenTelemetry export.</summary>
    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>The host name, the default node name.</summary>
    public static string DefaultNodeName()
    {
        try
        {
            return System.Net.Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return Environment.MachineName;
        }
    }
}
