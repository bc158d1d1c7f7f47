using System.Text.Json;
using Xunit;

namespace Sluice.Daemon.Tests.EndToEnd;

/// <summary>The shop matrix on real namespaces and the flow log it produced (run as root).</summary>
[Collection(EndToEndGroup.Name)]
public sealed class ReachabilityTests : IClassFixture<ShopFixture>
{
    private readonly ShopFixture _shop;

    public ReachabilityTests(ShopFixture shop) => _shop = shop;

    [Fact]
    public void Matrix_EveryProbe_MatchesThePolicies()
    {
        var wrong = _shop.Results.Where(r => r.Expected != r.Actual)
            .Select(r => $"{r.Probe}: expected {(r.Expected ? "allowed" : "denied")}, got {(r.Actual ? "allowed" : "denied")}")
            .ToList();

        Assert.True(_shop.Results.Count >= 36, $"only {_shop.Results.Count} probes ran");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong) + "\n--- daemon output ---\n" + _shop.DaemonOutput);
    }

    [Fact]
    public void Status_AfterStart_ShowsEveryEndpointAttachedWithEnforcement()
    {
        var endpoints = _shop.Status.Endpoints.ToDictionary(e => e.Name);

        Assert.Equal(["admin", "api", "db", "frontend"], endpoints.Keys.Order());
        Assert.All(endpoints.Values, e => Assert.True(e.Attached, e.Name));
        Assert.Equal(global::Sluice.Api.Admin.EnforcementMode.Enforce, endpoints["api"].IngressEnforcement);
        Assert.Equal(global::Sluice.Api.Admin.EnforcementMode.Disabled, endpoints["api"].EgressEnforcement);
        Assert.Equal(global::Sluice.Api.Admin.EnforcementMode.Enforce, endpoints["frontend"].EgressEnforcement);
        Assert.Equal(global::Sluice.Api.Admin.EnforcementMode.Disabled, endpoints["frontend"].IngressEnforcement);
        Assert.Contains("k8s:io.kubernetes.pod.namespace=ops", endpoints["admin"].Labels);
        Assert.Empty(_shop.Status.RejectedFiles);
        Assert.True(_shop.Status.PolicyRevision >= 1);
    }

    [Fact]
    public void Stop_OnSigterm_ExitsZero()
    {
        Assert.Equal(0, _shop.StopExitCode);
    }

    [Fact]
    public void FlowLog_AllowedIngress_NamesEndpointsLabelsFlagsAndAllowingPolicy()
    {
        var flow = Find(f => Pod(f, "source") == "frontend" && Pod(f, "destination") == "api" && Port(f) == 8080
            && Str(f, "traffic_direction") == "INGRESS" && Str(f, "verdict") == "FORWARDED" && Flag(f, "SYN") && !Flag(f, "ACK"));

        Assert.Equal("shop", flow.GetProperty("source").GetProperty("namespace").GetString());
        Assert.Contains("k8s:app=frontend", Labels(flow, "source"));
        Assert.Contains("k8s:app=api", Labels(flow, "destination"));
        Assert.NotEqual(0, flow.GetProperty("source").GetProperty("identity").GetInt32());
        var allowedBy = flow.GetProperty("ingress_allowed_by").EnumerateArray().ToList();
        Assert.Contains(allowedBy, p => p.GetProperty("name").GetString() == "api-ingress"
            && p.GetProperty("namespace").GetString() == "shop" && p.GetProperty("kind").GetString() == "CiliumNetworkPolicy");
        Assert.Equal($"node-{_shop.Topology.Id}", Str(flow, "node_name"));
    }

    [Fact]
    public void FlowLog_ExplicitDeny_IsPolicyDenyWithTheDenyingPolicy()
    {
        var flow = Find(f => Pod(f, "source") == "frontend" && Pod(f, "destination") == "db" && Str(f, "verdict") == "DROPPED");

        Assert.Equal("POLICY_DENY", Str(flow, "drop_reason_desc"));
        Assert.Equal("INGRESS", Str(flow, "traffic_direction"));
        Assert.Contains(flow.GetProperty("ingress_denied_by").EnumerateArray(), p => p.GetProperty("name").GetString() == "db-ingress");
    }

    [Fact]
    public void FlowLog_NoAllowUnderDefaultDeny_IsPolicyDenied()
    {
        var flow = Find(f => Pod(f, "source") == "frontend" && Pod(f, "destination") == "api" && Port(f) == 9090 && Str(f, "verdict") == "DROPPED");

        Assert.Equal("POLICY_DENIED", Str(flow, "drop_reason_desc"));
        Assert.True(Flag(flow, "SYN"));
    }

    [Fact]
    public void FlowLog_EgressToWorld_CarriesWorldIdentityAndClusterwidePolicy()
    {
        var flow = Find(f => Pod(f, "source") == "admin" && Port(f) == 80 && Str(f, "traffic_direction") == "EGRESS" && Str(f, "verdict") == "FORWARDED"
            && f.TryGetProperty("egress_allowed_by", out _));

        Assert.Contains(flow.GetProperty("egress_allowed_by").EnumerateArray(), p => p.GetProperty("name").GetString() == "admin-egress"
            && p.GetProperty("kind").GetString() == "CiliumClusterwideNetworkPolicy");
        Assert.Contains("reserved:world", Labels(flow, "destination"));
    }

    [Fact]
    public void FlowLog_FromLabelledExternalPrefix_CarriesItsLabels()
    {
        var flow = Find(f => Pod(f, "destination") == "frontend" && Port(f) == 8080 && Str(f, "traffic_direction") == "INGRESS"
            && f.GetProperty("IP").GetProperty("source").GetString() == _shop.Topology.Peers["outside"].V4);

        Assert.Contains("k8s:app=partner", Labels(flow, "source"));
        Assert.True(flow.GetProperty("source").GetProperty("identity").GetInt32() >= 256);
    }

    [Fact]
    public void FlowLog_Replies_AreMarkedAsReplies()
    {
        Assert.Contains(_shop.Flows, f => Pod(f, "source") == "api" && Pod(f, "destination") == "frontend"
            || (f.TryGetProperty("is_reply", out var r) && r.GetBoolean() && Flag(f, "ACK")));
    }

    private JsonElement Find(Func<JsonElement, bool> predicate)
    {
        var found = _shop.Flows.Where(predicate).ToList();
        Assert.True(found.Count > 0, $"no such flow among {_shop.Flows.Count}");
        return found[0];
    }

    private static string? Str(JsonElement f, string name) => f.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static string? Pod(JsonElement f, string side) =>
        f.TryGetProperty(side, out var s) && s.TryGetProperty("pod_name", out var p) ? p.GetString() : null;

    private static List<string> Labels(JsonElement f, string side) =>
        f.TryGetProperty(side, out var s) && s.TryGetProperty("labels", out var l) ? [.. l.EnumerateArray().Select(x => x.GetString()!)] : [];

    private static int Port(JsonElement f) =>
        f.TryGetProperty("l4", out var l4) && l4.TryGetProperty("TCP", out var tcp) && tcp.TryGetProperty("destination_port", out var p) ? p.GetInt32() : -1;

    private static bool Flag(JsonElement f, string flag) =>
        f.TryGetProperty("l4", out var l4) && l4.TryGetProperty("TCP", out var tcp) && tcp.TryGetProperty("flags", out var flags)
        && flags.TryGetProperty(flag, out var v) && v.GetBoolean();
}
