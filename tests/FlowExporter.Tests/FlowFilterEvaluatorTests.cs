using Sluice.Api.Flow;
using Sluice.FlowExporter.Filtering;
using Sluice.FlowExporter.Formatting;
using Xunit;

namespace Sluice.FlowExporter.Tests;

public class FlowFilterEvaluatorTests
{
    private static readonly FlowConversionContext Context = new("node1", "0.1.0", "01234567-89ab-cdef-0123");

    // frontend:40000 -> api:8080 TCP SYN, INGRESS, FORWARDED, policy verdict, identities 1001 -> 1002.
    private static readonly Flow Allowed = FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.NewTcp()), Context);

    [Theory]
    [InlineData("{}", true)]
    [InlineData("""{"source_ip":["10.10.0.2"]}""", true)]
    [InlineData("""{"source_ip":["10.10.0.0/24"]}""", true)]
    [InlineData("""{"source_ip":["10.10.1.0/24"]}""", false)]
    [InlineData("""{"source_ip":["10.10.1.0/24","10.10.0.2"]}""", true)]
    [InlineData("""{"destination_ip":["10.10.0.3"]}""", true)]
    [InlineData("""{"destination_ip":["fd00::/8"]}""", false)]
    [InlineData("""{"source_pod":["shop/front"]}""", true)]
    [InlineData("""{"source_pod":["shop/"]}""", true)]
    [InlineData("""{"source_pod":["other/"]}""", false)]
    [InlineData("""{"source_pod":["/front"]}""", true)]
    [InlineData("""{"source_pod":["api"]}""", false)]
    [InlineData("""{"destination_pod":["shop/api"]}""", true)]
    [InlineData("""{"source_label":["k8s:app=frontend"]}""", true)]
    [InlineData("""{"source_label":["app=frontend"]}""", true)]
    [InlineData("""{"source_label":["any:app=frontend"]}""", true)]
    [InlineData("""{"source_label":["reserved:app=frontend"]}""", false)]
    [InlineData("""{"source_label":["app in (frontend, api)"]}""", true)]
    [InlineData("""{"source_label":["app notin (frontend)"]}""", false)]
    [InlineData("""{"source_label":["app=frontend,tier=web"]}""", true)]
    [InlineData("""{"source_label":["app=frontend,tier!=web"]}""", false)]
    [InlineData("""{"source_label":["!debug"]}""", true)]
    [InlineData("""{"source_label":["tier"]}""", true)]
    [InlineData("""{"destination_label":["tier"]}""", false)]
    [InlineData("""{"verdict":["FORWARDED"]}""", true)]
    [InlineData("""{"verdict":["DROPPED","AUDIT"]}""", false)]
    [InlineData("""{"traffic_direction":["INGRESS"]}""", true)]
    [InlineData("""{"traffic_direction":["EGRESS"]}""", false)]
    [InlineData("""{"protocol":["tcp"]}""", true)]
    [InlineData("""{"protocol":["UDP","icmp"]}""", false)]
    [InlineData("""{"destination_port":["8080"]}""", true)]
    [InlineData("""{"source_port":["8080"]}""", false)]
    [InlineData("""{"source_identity":[1001]}""", true)]
    [InlineData("""{"destination_identity":[1001, 7]}""", false)]
    [InlineData("""{"reply":[false]}""", true)]
    [InlineData("""{"reply":[true]}""", false)]
    [InlineData("""{"tcp_flags":[{"SYN":true}]}""", true)]
    [InlineData("""{"tcp_flags":[{"SYN":true,"ACK":true}]}""", false)]
    [InlineData("""{"tcp_flags":[{"FIN":true},{"SYN":true}]}""", true)]
    [InlineData("""{"event_type":[{"type":5}]}""", true)]
    [InlineData("""{"event_type":[{"type":1}]}""", false)]
    [InlineData("""{"event_type":[{"type":5,"match_sub_type":true,"sub_type":1}]}""", false)]
    [InlineData("""{"ip_version":["IPv4"]}""", true)]
    [InlineData("""{"ip_version":["IPv6"]}""", false)]
    [InlineData("""{"node_name":["node*"]}""", true)]
    [InlineData("""{"node_name":["other"]}""", false)]
    [InlineData("""{"uuid":["01234567-89ab-cdef-0123-000000000001"]}""", true)]
    [InlineData("""{"interface":[{"name":"veth-api"}]}""", true)]
    [InlineData("""{"interface":[{"index":21}]}""", false)]
    [InlineData("""{"drop_reason_desc":["POLICY_DENIED"]}""", false)]
    [InlineData("""{"source_fqdn":["*.example.com"]}""", false)]
    [InlineData("""{"http_method":["GET"]}""", false)]
    [InlineData("""{"verdict":["FORWARDED"],"source_pod":["shop/frontend"],"destination_port":["8080"]}""", true)]
    [InlineData("""{"verdict":["FORWARDED"],"source_pod":["shop/frontend"],"destination_port":["80"]}""", false)]
    [InlineData("""{"sourceIp":["10.10.0.2"]}""", true)]
    public void Matches_SingleWhitelistFilter(string json, bool expected)
    {
        var evaluator = FlowFilterEvaluator.FromJson([json], []);
        Assert.Equal(expected, evaluator.Matches(Allowed));
    }

    [Fact]
    public void Matches_NoFilters_LetsEverythingThrough()
    {
        Assert.True(FlowFilterEvaluator.AllowAll.Matches(Allowed));
        Assert.True(FlowFilterEvaluator.AllowAll.IsEmpty);
    }

    [Fact]
    public void Matches_AnyWhitelistFilter_Suffices()
    {
        var evaluator = FlowFilterEvaluator.FromJson(["""{"verdict":["DROPPED"]}""", """{"source_pod":["shop/frontend"]}"""], []);
        Assert.True(evaluator.Matches(Allowed));
    }

    [Fact]
    public void Matches_BlacklistWinsOverWhitelist()
    {
        var evaluator = FlowFilterEvaluator.FromJson(["""{"protocol":["tcp"]}"""], ["""{"destination_port":["8080"]}"""]);
        Assert.False(evaluator.Matches(Allowed));
    }

    [Fact]
    public void Matches_BlacklistOnly_ExcludesMatches()
    {
        var dropped = FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.DroppedUdp()), Context);
        var evaluator = FlowFilterEvaluator.FromJson([], ["""{"verdict":["DROPPED"]}"""]);
        Assert.True(evaluator.Matches(Allowed));
        Assert.False(evaluator.Matches(dropped));
    }

    [Fact]
    public void Matches_ReservedWorldLabel_SelectsWorldSource()
    {
        var dropped = FlowProtoConverter.ToProto(TestFlows.Enriched(TestFlows.DroppedUdp()), Context);
        var evaluator = FlowFilterEvaluator.FromJson(["""{"source_label":["reserved:world"]}"""], []);
        Assert.True(evaluator.Matches(dropped));
        Assert.False(evaluator.Matches(Allowed));
    }

    [Fact]
    public void Matches_ReplyFilter_NeverMatchesUnknownDirection()
    {
        var flow = Allowed.Clone();
        flow.IsReply = null;
        Assert.False(FlowFilterEvaluator.FromJson(["""{"reply":[false]}"""], []).Matches(flow));
    }

    [Theory]
    [InlineData("""{"source_ip":["10.10.0.300"]}""", "source_ip")]
    [InlineData("""{"destination_ip":["10.0.0.0/33"]}""", "destination_ip")]
    [InlineData("""{"destination_port":["http"]}""", "destination_port")]
    [InlineData("""{"protocol":["smtp"]}""", "protocol")]
    [InlineData("""{"source_label":["app in frontend"]}""", "label selector")]
    [InlineData("""{"source_label":["app=(x"]}""", "label selector")]
    [InlineData("""{"dns_query":["("]}""", "dns_query")]
    [InlineData("""{"http_status_code":["4xx"]}""", "http_status_code")]
    [InlineData("""{"experimental":{"cel_expression":["true"]}}""", "cel_expression")]
    [InlineData("""{"no_such_field":[1]}""", "invalid FlowFilter JSON")]
    [InlineData("""not json""", "invalid FlowFilter JSON")]
    public void FromJson_BadFilter_ThrowsNamingTheProblem(string json, string expectedInMessage)
    {
        var error = Assert.Throws<FlowFilterException>(() => FlowFilterEvaluator.FromJson([json], []));
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }
}
