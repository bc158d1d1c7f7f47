namespace Sluice.Load.Harness;

/// <summary>The CiliumNetworkPolicy documents the scenarios enforce (endpoints are labelled app: &lt;peer&gt; in namespace load).</summary>
internal static class Policies
{
    /// <summary>server accepts TCP <paramref name="port"/> from client only; client may send only there.</summary>
    public static string ClientToServer(int port) => $$$"""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: server-ingress, namespace: load}
        spec:
          endpointSelector: {matchLabels: {app: server}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: client}}]
              toPorts: [{ports: [{port: "{{{port}}}", protocol: TCP}]}]
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: client-egress, namespace: load}
        spec:
          endpointSelector: {matchLabels: {app: client}}
          egress:
            - toEndpoints: [{matchLabels: {app: server}}]
              toPorts: [{ports: [{port: "{{{port}}}", protocol: TCP}]}]
        """;

    /// <summary>client may send UDP anywhere inside <paramref name="prefix"/> (a peer outside the endpoints).</summary>
    public static string ClientUdpTo(string prefix) => $$$"""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: client-udp-egress, namespace: load}
        spec:
          endpointSelector: {matchLabels: {app: client}}
          egress:
            - toCIDR: [{{{prefix}}}]
              toPorts: [{ports: [{port: "1024", endPort: 65535, protocol: UDP}]}]
        """;
}
