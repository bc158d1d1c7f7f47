using System.IO.Compression;
using System.Text.Json.Nodes;
using Sluice.FlowExporter.Filtering;
using Sluice.FlowExporter.Formatting;
using Sluice.FlowExporter.Model;
using Sluice.FlowExporter.Sinks;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public sealed class FlowLogSinkTests : IDisposable
{
    private static readonly FlowConversionContext Context = new("node1", "0.1.0", "01234567-89ab-cdef-0123");
    private readonly string _directory = Directory.CreateTempSubdirectory("slc-flowlog-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static FlowEvent[] Flows(int count) => [.. Enumerable.Range(1, count).Select(i =>
    {
        var flow = TestFlows.Enriched(i % 2 == 0 ? TestFlows.DroppedUdp(TestFlows.BaseTimeNs + i) : TestFlows.NewTcp(TestFlows.BaseTimeNs + i));
        flow.Sequence = (ulong)i;
        return flow;
    })];

    private static List<string> ReadLines(string file)
    {
        using Stream stream = file.EndsWith(".gz", StringComparison.Ordinal)
            ? new GZipStream(File.OpenRead(file), CompressionMode.Decompress)
            : File.OpenRead(file);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    [Fact]
    public void Consume_PastSizeLimit_RotatesGzipsAndKeepsMaxBackups()
    {
        string path = Path.Combine(_directory, "flows.jsonl");
        using (var sink = new FlowLogSink(new FlowLogOptions { Path = path, MaxBackups = 2, Compress = true, MaxSizeBytesOverride = 4096 }, Context, TimeProvider.System))
        {
            foreach (var flow in Flows(200))
            {
                sink.Consume([flow]);
            }

            sink.Complete();
            Assert.Equal(200, sink.Written);
        }

        var backups = Directory.GetFiles(_directory, "flows-*").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, backups.Length);
        Assert.All(backups, b => Assert.EndsWith(".jsonl.gz", b));
        Assert.True(new FileInfo(path).Length <= 4096);

        // The kept files hold the newest lines, contiguous and in order, each a full GetFlowsResponse.
        var lines = backups.SelectMany(ReadLines).Concat(ReadLines(path)).ToList();
        var sequences = lines.Select(l => Convert.ToInt64(((string)JsonNode.Parse(l)!["flow"]!["uuid"]!)[24..], 16)).ToList();
        Assert.Equal(200, sequences[^1]);
        Assert.Equal(Enumerable.Range((int)sequences[0], sequences.Count).Select(i => (long)i), sequences);
        Assert.All(lines, l => Assert.Equal("node1", (string?)JsonNode.Parse(l)!["node_name"]));
        Assert.All(backups.Select(b => new FileInfo(b).Length), size => Assert.True(size > 0));
    }

    [Fact]
    public void Consume_WithoutCompression_KeepsPlainBackups()
    {
        string path = Path.Combine(_directory, "plain.jsonl");
        using (var sink = new FlowLogSink(new FlowLogOptions { Path = path, MaxBackups = 50, MaxSizeBytesOverride = 3000 }, Context, TimeProvider.System))
        {
            sink.Consume(Flows(30));
        }

        var backups = Directory.GetFiles(_directory, "plain-*");
        Assert.NotEmpty(backups);
        Assert.All(backups, b => Assert.EndsWith(".jsonl", b));
        Assert.Equal(30, backups.Sum(b => ReadLines(b).Count) + ReadLines(path).Count);
    }

    [Fact]
    public void Consume_AllowDenyAndFieldMask_WriteOnlySelectedFields()
    {
        string path = Path.Combine(_directory, "dropped.jsonl");
        var options = new FlowLogOptions
        {
            Path = path,
            Allow = ["""{"verdict":["DROPPED"]}""", """{"destination_port":["8080"]}"""],
            Deny = ["""{"source_ip":["10.10.0.2"]}"""],
            FieldMask = ["verdict", "source.identity", "drop_reason_desc"],
        };
        using (var sink = new FlowLogSink(options, Context, TimeProvider.System))
        {
            sink.Consume(Flows(10));
            Assert.Equal(5, sink.Written);
            Assert.Equal(5, sink.Filtered);
        }

        var lines = ReadLines(path);
        Assert.Equal(5, lines.Count);
        foreach (var line in lines)
        {
            var root = JsonNode.Parse(line)!.AsObject();
            Assert.Equal(["flow", "node_name", "time"], root.Select(p => p.Key));
            var flow = root["flow"]!.AsObject();
            Assert.Equal(["verdict", "source", "drop_reason_desc"], flow.Select(p => p.Key).OrderBy(k => k == "verdict" ? 0 : k == "source" ? 1 : 2));
            Assert.Equal("DROPPED", (string?)flow["verdict"]);
            Assert.Equal(2, (int?)flow["source"]!["identity"]);
            Assert.Single(flow["source"]!.AsObject());
        }
    }

    [Fact]
    public void Create_InvalidAllowFilter_IsConfigurationError()
    {
        var options = new FlowLogOptions { Path = Path.Combine(_directory, "x.jsonl"), Allow = ["""{"source_ip":["nope"]}"""] };
        var error = Assert.Throws<FlowFilterException>(() => new FlowLogSink(options, Context, TimeProvider.System));
        Assert.Contains("source_ip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidFieldMaskPath_IsRejected()
    {
        var options = new FlowLogOptions { Path = Path.Combine(_directory, "y.jsonl"), FieldMask = ["no_such_field"] };
        var error = Assert.Throws<ArgumentException>(() => new FlowLogSink(options, Context, TimeProvider.System));
        Assert.Contains("no_such_field", error.Message, StringComparison.Ordinal);
    }
}
