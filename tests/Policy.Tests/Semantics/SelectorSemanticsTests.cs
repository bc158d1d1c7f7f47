using Sluice.Policy.Engine;
using Xunit;
using static Sluice.Policy.Tests.Semantics.SemanticWorld;

namespace Sluice.Policy.Tests.Semantics;

/// <summary>
/// Peer selection: nil vs [] vs [{}], label operators, sources, OR across a list, and namespace scoping
/// for CNP (injected namespace), CCNP (any pod) and bare rule lists (no scoping). Ingress of endpoint 300.
/// </summary>
public class SelectorSemanticsTests
{
    public static TheoryData<string, string, string[]> Cases => new()
    {
        {
            "matchLabels selects same-namespace pod only",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]"]
        },
        {
            "[{}] selects every pod of the policy namespace",
            Cnp("ingress:\n- fromEndpoints: [{}]"),
            ["ingress identity=300 any: allow by cnp/shop/p[0]", "ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=302 any: allow by cnp/shop/p[0]"]
        },
        {
            "[] selects nobody",
            Cnp("ingress:\n- fromEndpoints: []"),
            []
        },
        {
            "explicit namespace label reaches another namespace",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web, k8s:io.kubernetes.pod.namespace: other}}]"),
            ["ingress identity=303 any: allow by cnp/shop/p[0]"]
        },
        {
            "source-less namespace key also counts as naming the namespace",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {io.kubernetes.pod.namespace: other}}]"),
            ["ingress identity=303 any: allow by cnp/shop/p[0]", "ingress identity=304 any: allow by cnp/shop/p[0]"]
        },
        {
            "k8s: source prefix matches k8s labels",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {k8s:app: web}}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]"]
        },
        {
            "any: source prefix matches k8s labels",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {any:app: db}}]"),
            ["ingress identity=302 any: allow by cnp/shop/p[0]"]
        },
        {
            "reserved: selector is not namespace-scoped",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {reserved:host: \"\"}}]"),
            ["ingress identity=1 any: allow by cnp/shop/p[0]"]
        },
        {
            "reserved:remote-node also selects kube-apiserver which carries that label",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {reserved:remote-node: \"\"}}]"),
            ["ingress identity=6 any: allow by cnp/shop/p[0]", "ingress identity=7 any: allow by cnp/shop/p[0]"]
        },
        {
            "In with two values",
            Cnp("ingress:\n- fromEndpoints: [{matchExpressions: [{key: app, operator: In, values: [web, db]}]}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=302 any: allow by cnp/shop/p[0]"]
        },
        {
            "NotIn keeps pods without the value (namespace still injected)",
            Cnp("ingress:\n- fromEndpoints: [{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}]"),
            ["ingress identity=300 any: allow by cnp/shop/p[0]", "ingress identity=302 any: allow by cnp/shop/p[0]"]
        },
        {
            "Exists",
            Cnp("ingress:\n- fromEndpoints: [{matchExpressions: [{key: app, operator: Exists}]}]"),
            ["ingress identity=300 any: allow by cnp/shop/p[0]", "ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=302 any: allow by cnp/shop/p[0]"]
        },
        {
            "DoesNotExist on a key every pod has selects nobody",
            Cnp("ingress:\n- fromEndpoints: [{matchExpressions: [{key: app, operator: DoesNotExist}]}]"),
            []
        },
        {
            "matchLabels and matchExpressions are ANDed",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}, matchExpressions: [{key: io.kubernetes.pod.namespace, operator: In, values: [shop, other]}]}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=303 any: allow by cnp/shop/p[0]"]
        },
        {
            "selectors in one list are ORed",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}, {matchLabels: {app: db}}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=302 any: allow by cnp/shop/p[0]"]
        },
        {
            "entries of ingress are ORed and keep their own origins",
            Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]\n- fromEndpoints: [{matchLabels: {app: web}}]\n  toPorts: [{ports: [{port: \"80\", protocol: TCP}]}]"),
            ["ingress identity=301 any: allow by cnp/shop/p[0]", "ingress identity=301 tcp/80: allow by cnp/shop/p[0]"]
        },
        {
            "CCNP {} selects every pod of every namespace but not reserved or world",
            Ccnp("ingress:\n- fromEndpoints: [{}]"),
            ["ingress identity=300 any: allow by ccnp/p[0]", "ingress identity=301 any: allow by ccnp/p[0]", "ingress identity=302 any: allow by ccnp/p[0]",
             "ingress identity=303 any: allow by ccnp/p[0]", "ingress identity=304 any: allow by ccnp/p[0]"]
        },
        {
            "CCNP label selector spans namespaces",
            Ccnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]"),
            ["ingress identity=301 any: allow by ccnp/p[0]", "ingress identity=303 any: allow by ccnp/p[0]"]
        },
        {
            "CCNP selector naming a namespace",
            Ccnp("ingress:\n- fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: other}}]"),
            ["ingress identity=303 any: allow by ccnp/p[0]", "ingress identity=304 any: allow by ccnp/p[0]"]
        },
        {
            "bare rule list is not scoped: {} is every identity",
            "[{\"endpointSelector\": {\"matchLabels\": {\"app\": \"api\"}}, \"ingress\": [{\"fromEndpoints\": [{}]}]}]",
            ["ingress identity=any any: allow by rules/test.yaml[0]"]
        },
        {
            "bare rule list label selector spans namespaces",
            "[{\"endpointSelector\": {\"matchLabels\": {\"app\": \"api\"}}, \"ingress\": [{\"fromEndpoints\": [{\"matchLabels\": {\"app\": \"web\"}}]}]}]",
            ["ingress identity=301 any: allow by rules/test.yaml[0]", "ingress identity=303 any: allow by rules/test.yaml[0]"]
        },
        {
            "CNP in another namespace does not select endpoint 300",
            Cnp("ingress:\n- fromEndpoints: [{}]", ns: "other"),
            []
        },
        {
            "CNP endpointSelector naming another namespace is overridden by the policy namespace",
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: api, k8s:io.kubernetes.pod.namespace: other}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: web}}]",
            ["ingress identity=301 any: allow by cnp/shop/p[0]"]
        },
        {
            "endpointSelector {} selects every endpoint of the namespace",
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: db}}]",
            ["ingress identity=302 any: allow by cnp/shop/p[0]"]
        },
        {
            "endpointSelector not matching leaves the endpoint untouched",
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n  - fromEndpoints: [{}]",
            []
        },
        {
            "specs: rule index is the position in specs",
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspecs:\n- endpointSelector: {matchLabels: {app: web}}\n  ingress: [{fromEndpoints: [{}]}]\n- endpointSelector: {matchLabels: {app: api}}\n  ingress: [{fromEndpoints: [{matchLabels: {app: db}}]}]",
            ["ingress identity=302 any: allow by cnp/shop/p[1]"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PeerSelection_MatchesCiliumSemantics(string name, string yaml, string[] expected)
    {
        var world = Create();
        world.Policy(yaml);
        Assert.True(expected.SequenceEqual(world.Lines(Api)), $"{name}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", world.Lines(Api))}");
    }

    [Fact]
    public void SelectorCache_SharesOneSelectionAcrossRules()
    {
        var world = Create();
        world.Policy(Cnp("ingress:\n- fromEndpoints: [{matchLabels: {app: web}}]", name: "a"));
        int before = world.Engine.SelectorCount;
        world.Policy(Cnp("egress:\n- toEndpoints: [{matchLabels: {app: web}}]", name: "b"));
        Assert.Equal(before, world.Engine.SelectorCount);
        Assert.Equal(EnforcementMode.Default, world.Engine.Mode);
    }
}
