namespace Sluice.Daemon.Configuration;

/// <summary>
/// Checks a <see cref="SluiceOptions"/> as a whole before the daemon starts: paths absolute, listen
/// addresses well-formed, TCP gRPC only with TLS and never without a key pair, sizes and ratios in range.
/// Type-level checks (integers, booleans, enums) happen while parsing; this catches values that parse but
/// cannot work.
/// </summary>
public static class SluiceOptionsValidator
{
    /// <summary>Validates <paramref name="o"/>, reporting each problem as (key path, message).</summary>
    public static void Validate(SluiceOptions o, Action<string, string> report)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(report);

        if (string.IsNullOrWhiteSpace(o.NodeName))
        {
            report("nodeName", "must not be empty");
        }

        RequireAbsolute(o.StateDir, "stateDir", report, allowEmpty: false);
        RequireAbsolute(o.BpfPinDir, "bpfPinDir", report, allowEmpty: false);
        RequireAbsolute(o.EndpointsFile, "endpointsFile", report, allowEmpty: false);
        for (int i = 0; i < o.Policy.Dirs.Count; i++)
        {
            RequireAbsolute(o.Policy.Dirs[i], $"policy.dirs[{i}]", report, allowEmpty: false);
        }

        if (o.Policy.Dirs.Distinct(StringComparer.Ordinal).Count() != o.Policy.Dirs.Count)
        {
            report("policy.dirs", "lists the same directory twice");
        }

        if (o.Flows.RingCapacity is < 1 or > FlowsOptions.MaxRingCapacity)
        {
            report("flows.ringCapacity", $"must be from 1 to {FlowsOptions.MaxRingCapacity}");
        }

        if (o.Flows.AggregationInterval < TimeSpan.FromMilliseconds(100) || o.Flows.AggregationInterval > TimeSpan.FromHours(1))
        {
            report("flows.aggregationInterval", $"{DurationText.Format(o.Flows.AggregationInterval)} is out of range; expected 100ms to 1h");
        }

        RequireAbsolute(o.Flows.Log.Path, "flows.log.path", report, allowEmpty: true);
        if (o.Flows.Log.MaxSizeMb < 1)
        {
            report("flows.log.maxSizeMb", "must be at least 1");
        }

        if (o.Flows.Log.MaxBackups < 0)
        {
            report("flows.log.maxBackups", "must not be negative");
        }

        for (int i = 0; i < o.Flows.Log.FieldMask.Count; i++)
        {
            if (FlowFilterYaml.CheckFieldMaskPath(o.Flows.Log.FieldMask[i]) is { } error)
            {
                report($"flows.log.fieldMask[{i}]", error);
            }
        }

        if (o.Metrics.Listen.Length > 0 && !ListenAddress.TryParse(o.Metrics.Listen, out _, out var metricsError))
        {
            report("metrics.listen", metricsError);
        }

        ValidateGrpc(o.Grpc, report);
        ValidateOtlp(o.Otlp, report);
    }

    /// <summary>Validates and throws when anything is wrong (for options built in code).</summary>
    /// <exception cref="ConfigurationException">Lists every problem.</exception>
    public static void ThrowIfInvalid(SluiceOptions o)
    {
        var errors = new List<ConfigError>();
        Validate(o, (path, message) => errors.Add(new ConfigError(path, 0, 0, message)));
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Empty, errors);
        }
    }

    private static void ValidateGrpc(GrpcOptions g, Action<string, string> report)
    {
        RequireAbsolute(g.Socket, "grpc.socket", report, allowEmpty: true);
        if (g.Socket.Length > 107)
        {
            // sockaddr_un.sun_path is 108 bytes including the terminating NUL (<linux/un.h>).
            report("grpc.socket", $"is {g.Socket.Length} characters; a unix socket path can be at most 107");
        }

        if (g.Listen.Length > 0)
        {
            if (!ListenAddress.TryParse(g.Listen, out _, out var error))
            {
                report("grpc.listen", error);
            }
            else if (!g.Tls.Enabled)
            {
                report("grpc.listen", "serving gRPC over TCP needs TLS: set grpc.tls.cert and grpc.tls.key");
            }
        }

        if (g.Tls.Enabled && (g.Tls.Cert.Length == 0 || g.Tls.Key.Length == 0))
        {
            report(g.Tls.Cert.Length == 0 ? "grpc.tls.cert" : "grpc.tls.key", "grpc.tls.cert and grpc.tls.key must be set together");
        }

        if (g.Tls.ClientCa.Length > 0 && !g.Tls.Enabled)
        {
            report("grpc.tls.clientCa", "mutual TLS needs grpc.tls.cert and grpc.tls.key too");
        }

        if (g.Socket.Length == 0 && g.Listen.Length == 0)
        {
            report("grpc", "neither grpc.socket nor grpc.listen is set; the CLI could not reach the daemon");
        }
    }

    private static void ValidateOtlp(OtlpOptions o, Action<string, string> report)
    {
        if (o.Endpoint.Length > 0
            && (!Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            report("otlp.endpoint", $"'{o.Endpoint}' is not an http:// or https:// URL");
        }

        if (o.SampleRatio is < 0 or > 1 || double.IsNaN(o.SampleRatio))
        {
            report("otlp.sampleRatio", "must be from 0 to 1");
        }
    }

    private static void RequireAbsolute(string path, string key, Action<string, string> report, bool allowEmpty)
    {
        if (path.Length == 0)
        {
            if (!allowEmpty)
            {
                report(key, "must not be empty");
            }

            return;
        }

        if (!Path.IsPathFullyQualified(path))
        {
            report(key, $"'{path}' must be an absolute path");
        }
        else if (path.Contains('\0', StringComparison.Ordinal))
        {
            report(key, "contains a NUL character");
        }
    }
}
