using Sluice.Policy.Engine;
using Sluice.Policy.Tests.Engine;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// The standard world of the semantic tables. Local endpoint 300 is <c>app=api</c> in namespace
/// <c>shop</c>; remote pods: 301 shop/app=web, 302 shop/app=db, 303 other/app=web, 304 other/app=api;
/// 400 is an external prefix 192.0.2.0/24 labelled app=partner; reserved identities 1–10 always exist.
/// Policies are named <c>p</c> (namespace shop for namespaced kinds) unless a case says otherwise.
/// </summary>
internal static class SemanticWorld
{
    public const uint Api = 300;
    public const uint Web = 301;
    public const uint Db = 302;
    public const uint OtherWeb = 303;
    public const uint OtherApi = 304;
    public const uint Partner = 400;

    public static PolicyWorld Create(EnforcementMode mode = EnforcementMode.Default, bool allowLocalhost = false)
    {
        var world = new PolicyWorld(mode, allowLocalhost);
        world.Endpoint(Api, "shop", "app=api");
        world.Pod(Web, "shop", "app=web");
        world.Pod(Db, "shop", "app=db");
        world.Pod(OtherWeb, "other", "app=web");
        world.Pod(OtherApi, "other", "app=api");
        world.External(Partner, "192.0.2.0/24", "app=partner");
        return world;
    }

    /// <summary>A CiliumNetworkPolicy <c>shop/p</c> selecting app=api with the given spec body (YAML, spec-level keys).</summary>
    public static string Cnp(string body, string name = "p", string ns = "shop") =>
        $"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  endpointSelector: {{matchLabels: {{app: api}}}}\n{Indent(body)}";

    /// <summary>A CiliumClusterwideNetworkPolicy <c>p</c> selecting app=api with the given spec body.</summary>
    public static string Ccnp(string body, string name = "p") =>
        $"apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {{name: {name}}}\nspec:\n  endpointSelector: {{matchLabels: {{app: api}}}}\n{Indent(body)}";

    /// <summary>A NetworkPolicy <c>shop/p</c> with the given spec body (podSelector included by the caller).</summary>
    public static string NetPol(string body, string name = "p", string ns = "shop") =>
        $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{Indent(body)}";

    private static string Indent(string body) =>
        string.Join("\n", body.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').Select(l => "  " + l)) + "\n";
}
