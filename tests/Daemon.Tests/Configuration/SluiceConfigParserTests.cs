using Sluice.Api.Flow;
using Sluice.Daemon.Configuration;
using Xunit;

namespace Sluice.Daemon.Tests.Configuration;

public sealed class SluiceConfigParserTests
{
    [Fact]
    public void Parse_EmptyText_YieldsDocumentedDefaults()
    {
        var result = SluiceConfigParser.Parse(string.Empty);

        Assert.Empty(result.Errors);
        var o = result.Options;
        Assert.Equal(System.Net.Dns.GetHostName(), o.NodeName);
        Assert.Equal("/var/lib/sluice", o.StateDir);
        Assert.Equal("/sys/fs/bpf/sluice", o.BpfPinDir);
        Assert.Equal(["/etc/sluice/policies"], o.Policy.Dirs);
        Assert.Equal(PolicyEnforcement.Default, o.Policy.Enforcement);
        Assert.False(o.Policy.AuditMode);
        Assert.Equal("/etc/sluice/endpoints.yaml", o.EndpointsFile);
        Assert.Equal(65535, o.Flows.RingCapacity);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Flows.AggregationInterval);
        Assert.Equal("/var/log/sluice/flows.jsonl", o.Flows.Log.Path);
        Assert.Equal(10, o.Flows.Log.MaxSizeMb);
        Assert.Equal(5, o.Flows.Log.MaxBackups);
        Assert.False(o.Flows.Log.Compress);
        Assert.Empty(o.Flows.Log.Allow);
        Assert.Empty(o.Flows.Log.Deny);
        Assert.Empty(o.Flows.Log.FieldMask);
        Assert.Equal("127.0.0.1:9965", o.Metrics.Listen);
        Assert.Equal("/run/sluice/hubble.sock", o.Grpc.Socket);
        Assert.Equal(string.Empty, o.Grpc.Listen);
        Assert.Equal(string.Empty, o.Grpc.Tls.Cert);
        Assert.Equal(string.Empty, o.Otlp.Endpoint);
        Assert.Equal(OtlpProtocol.Grpc, o.Otlp.Protocol);
        Assert.True(o.Otlp.Traces);
        Assert.True(o.Otlp.Metrics);
        Assert.Equal(1.0, o.Otlp.SampleRatio);
    }

    [Fact]
    public void Parse_DesignExampleWithEveryKey_ReadsEveryValue()
    {
        const string yaml = """
            nodeName: node-a
            stateDir: /srv/sluice/state
            bpfPinDir: /sys/fs/bpf/sluice-test
            policy:
              dirs: [/etc/sluice/policies, /opt/policies]
              enforcement: always
              auditMode: true
            endpointsFile: /srv/endpoints.yaml
            flows:
              ringCapacity: 4096
              aggregationInterval: 1m30s
              log: {path: /tmp/flows.jsonl, maxSizeMb: 3, maxBackups: 2, compress: true,
                    allow: [{source_pod: ["shop/"]}], deny: [{verdict: [DROPPED]}], fieldMask: [time, source.namespace]}
            metrics: {listen: "[::1]:9100"}
            grpc: {socket: /run/s.sock, listen: "0.0.0.0:4245", tls: {cert: /c.pem, key: /k.pem, clientCa: /ca.pem}}
            otlp: {endpoint: "http://127.0.0.1:4317", protocol: http/protobuf, traces: false, metrics: false, sampleRatio: 0.25}
            """;

        var result = SluiceConfigParser.Parse(yaml);

        Assert.Empty(result.Errors);
        var o = result.Options;
        Assert.Equal("node-a", o.NodeName);
        Assert.Equal("/srv/sluice/state", o.StateDir);
        Assert.Equal("/sys/fs/bpf/sluice-test", o.BpfPinDir);
        Assert.Equal(["/etc/sluice/policies", "/opt/policies"], o.Policy.Dirs);
        Assert.Equal(PolicyEnforcement.Always, o.Policy.Enforcement);
        Assert.True(o.Policy.AuditMode);
        Assert.Equal("/srv/endpoints.yaml", o.EndpointsFile);
        Assert.Equal(4096, o.Flows.RingCapacity);
        Assert.Equal(TimeSpan.FromSeconds(90), o.Flows.AggregationInterval);
        Assert.Equal("/tmp/flows.jsonl", o.Flows.Log.Path);
        Assert.Equal(3, o.Flows.Log.MaxSizeMb);
        Assert.Equal(2, o.Flows.Log.MaxBackups);
        Assert.True(o.Flows.Log.Compress);
        Assert.Equal("shop/", Assert.Single(Assert.Single(o.Flows.Log.Allow).SourcePod));
        Assert.Equal(Verdict.Dropped, Assert.Single(Assert.Single(o.Flows.Log.Deny).Verdict));
        Assert.Equal(["time", "source.namespace"], o.Flows.Log.FieldMask);
        Assert.Equal("[::1]:9100", o.Metrics.Listen);
        Assert.Equal("/run/s.sock", o.Grpc.Socket);
        Assert.Equal("0.0.0.0:4245", o.Grpc.Listen);
        Assert.Equal("/ca.pem", o.Grpc.Tls.ClientCa);
        Assert.Equal(OtlpProtocol.HttpProtobuf, o.Otlp.Protocol);
        Assert.False(o.Otlp.Traces);
        Assert.False(o.Otlp.Metrics);
        Assert.Equal(0.25, o.Otlp.SampleRatio);
    }

    [Fact]
    public void Parse_NullSections_KeepDefaults()
    {
        var result = SluiceConfigParser.Parse("policy:\nflows:\n  log:\nmetrics: ~\n");

        Assert.Empty(result.Errors);
        Assert.Equal(["/etc/sluice/policies"], result.Options.Policy.Dirs);
        Assert.Equal("/var/log/sluice/flows.jsonl", result.Options.Flows.Log.Path);
        Assert.Equal("127.0.0.1:9965", result.Options.Metrics.Listen);
    }

    // Each case: YAML text, the key path the error must name, its line and column, and a fragment of the message.
    public static TheoryData<string, string, int, int, string> InvalidCases => new()
    {
        { "nodeNme: a", "nodeNme", 1, 1, "unknown key 'nodeNme'" },
        { "policy:\n  dir: [/a]", "policy.dir", 2, 3, "unknown key 'dir'" },
        { "flows:\n  log:\n    maxSizeMB: 3", "flows.log.maxSizeMB", 3, 5, "unknown key" },
        { "grpc:\n  tls:\n    ca: /x", "grpc.tls.ca", 3, 5, "expected one of: cert, key, clientCa" },
        { "otlp: {endpoint: x, insecure: true}", "otlp.insecure", 1, 21, "unknown key" },
        { "policy: [a, b]", "policy", 1, 9, "expected a mapping" },
        { "policy:\n  dirs: /etc/sluice/policies", "policy.dirs", 2, 9, "expected a list of strings" },
        { "policy:\n  dirs: [{a: b}]", "policy.dirs[0]", 2, 10, "expected a string, found a mapping" },
        { "policy:\n  enforcement: strict", "policy.enforcement", 2, 16, "expected one of default, always, never" },
        { "policy:\n  auditMode: yes", "policy.auditMode", 2, 14, "expected true or false" },
        { "policy:\n  auditMode: \"true\"", "policy.auditMode", 2, 14, "quoted string" },
        { "flows:\n  ringCapacity: lots", "flows.ringCapacity", 2, 17, "expected an integer" },
        { "flows:\n  ringCapacity: 0", "flows.ringCapacity", 2, 17, "out of range" },
        { "flows:\n  ringCapacity: 99999999999", "flows.ringCapacity", 2, 17, "out of range" },
        { "flows:\n  ringCapacity: 1.5", "flows.ringCapacity", 2, 17, "expected an integer" },
        { "flows:\n  aggregationInterval: 5", "flows.aggregationInterval", 2, 24, "missing a unit" },
        { "flows:\n  aggregationInterval: 5 seconds", "flows.aggregationInterval", 2, 24, "unknown unit" },
        { "flows:\n  aggregationInterval: -5s", "flows.aggregationInterval", 2, 24, "must not be signed" },
        { "flows:\n  aggregationInterval: 10ms", "flows.aggregationInterval", 2, 24, "expected 100ms to 1h" },
        { "flows:\n  aggregationInterval: [5s]", "flows.aggregationInterval", 2, 24, "expected a duration" },
        { "flows:\n  log: {maxSizeMb: 0}", "flows.log.maxSizeMb", 2, 20, "out of range" },
        { "flows:\n  log: {maxBackups: -1}", "flows.log.maxBackups", 2, 21, "out of range" },
        { "flows:\n  log: {compress: 1}", "flows.log.compress", 2, 19, "expected true or false" },
        { "flows:\n  log: {path: relative/flows.jsonl}", "flows.log.path", 2, 15, "must be an absolute path" },
        { "flows:\n  log:\n    allow: [{source_podd: [x]}]", "flows.log.allow[0]", 3, 13, "not a valid Hubble FlowFilter" },
        { "flows:\n  log:\n    deny: [{verdict: [MAYBE]}]", "flows.log.deny[0]", 3, 12, "not a valid Hubble FlowFilter" },
        { "flows:\n  log:\n    deny: [source_pod]", "flows.log.deny[0]", 3, 12, "expected a Hubble FlowFilter mapping" },
        { "flows:\n  log:\n    allow: {source_pod: [x]}", "flows.log.allow", 3, 12, "expected a list" },
        { "flows:\n  log:\n    fieldMask: [source.podname]", "flows.log.fieldMask[0]", 3, 17, "'podname' is not a field of flow.Endpoint" },
        { "flows:\n  log:\n    fieldMask: [verdict.x]", "flows.log.fieldMask[0]", 3, 17, "not a message" },
        { "metrics:\n  listen: 9965", "metrics.listen", 2, 11, "not host:port" },
        { "metrics:\n  listen: 127.0.0.1:99999", "metrics.listen", 2, 11, "expected a number from 1 to 65535" },
        { "metrics:\n  listen: '::1:9965'", "metrics.listen", 2, 11, "bracketed IPv6" },
        { "metrics:\n  listen: example.org:9965", "metrics.listen", 2, 11, "expected an IPv4 address" },
        { "grpc:\n  listen: 0.0.0.0:4245", "grpc.listen", 2, 11, "needs TLS" },
        { "grpc:\n  listen: 0.0.0.0:4245\n  tls: {cert: /c.pem}", "grpc.tls.key", 3, 8, "must be set together" },
        { "grpc:\n  tls: {clientCa: /ca.pem}", "grpc.tls.clientCa", 2, 19, "needs grpc.tls.cert" },
        { "grpc:\n  socket: run/hubble.sock", "grpc.socket", 2, 11, "absolute path" },
        { "grpc:\n  socket: ''\n  listen: ''", "grpc", 2, 3, "neither grpc.socket nor grpc.listen" },
        { "otlp:\n  protocol: http", "otlp.protocol", 2, 13, "expected one of grpc, http/protobuf" },
        { "otlp:\n  sampleRatio: 2", "otlp.sampleRatio", 2, 16, "out of range" },
        { "otlp:\n  sampleRatio: half", "otlp.sampleRatio", 2, 16, "expected a number" },
        { "otlp:\n  endpoint: collector:4317", "otlp.endpoint", 2, 13, "not an http:// or https:// URL" },
        { "stateDir: var/lib/sluice", "stateDir", 1, 11, "absolute path" },
        { "bpfPinDir: ''", "bpfPinDir", 1, 12, "must not be empty" },
        { "nodeName: [a]", "nodeName", 1, 11, "expected a string" },
        { "nodeName: ''", "nodeName", 1, 11, "must not be empty" },
        { "policy:\n  dirs: [/a, /a]", "policy.dirs", 2, 9, "same directory twice" },
        { "- a\n- b", "(root)", 1, 1, "expected a mapping" },
        { "policy: {dirs: [/a]\n", "(document)", 2, 1, "invalid YAML" },
        { "a: 1\na: 2", "(document)", 2, 1, "invalid YAML" },
        { "nodeName: a\n---\nnodeName: b", "(document)", 3, 1, "single YAML document" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Parse_InvalidValue_ReportsKeyPathAndPosition(string yaml, string path, int line, int column, string fragment)
    {
        var result = SluiceConfigParser.Parse(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEveryOne()
    {
        const string yaml = "nodeNam: x\npolicy:\n  auditMode: maybe\nflows:\n  ringCapacity: -3\n";

        var result = SluiceConfigParser.Parse(yaml);

        Assert.Equal(["nodeNam", "policy.auditMode", "flows.ringCapacity"], result.Errors.Select(e => e.Path));
        Assert.Equal([1, 3, 5], result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Load_ExplicitMissingFile_Throws()
    {
        var path = Path.Combine(Path.GetTempPath(), "slc-missing-" + Guid.NewGuid().ToString("N") + ".yaml");

        var ex = Assert.Throws<ConfigurationException>(() => SluiceConfigParser.Load(path, explicitlyGiven: true));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DefaultPathMissing_UsesDefaults()
    {
        var path = Path.Combine(Path.GetTempPath(), "slc-missing-" + Guid.NewGuid().ToString("N") + ".yaml");

        var options = SluiceConfigParser.Load(path, explicitlyGiven: false);

        Assert.Equal("/var/lib/sluice", options.StateDir);
    }

    [Fact]
    public void Load_InvalidFile_MessageNamesFileLineAndKey()
    {
        var path = Path.Combine(Path.GetTempPath(), "slc-cfg-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, "flows:\n  ringCapacity: many\n");
        try
        {
            var ex = Assert.Throws<ConfigurationException>(() => SluiceConfigParser.Load(path, explicitlyGiven: true));

            Assert.Contains($"{path}:2:17: flows.ringCapacity: expected an integer", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ThrowIfInvalid_OptionsBuiltInCode_ListsPathWithoutPosition()
    {
        var options = new SluiceOptions { StateDir = "relative" };

        var ex = Assert.Throws<ConfigurationException>(() => SluiceOptionsValidator.ThrowIfInvalid(options));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("stateDir", 0), (error.Path, error.Line));
    }
}
