namespace Sluice.Policy.Tests.Parsing;

/// <summary>
/// Builds policy YAML around a snippet at a fixed place, so tests can state exact lines and columns.
/// Snippet lines keep their own relative indentation.
/// </summary>
internal static class PolicyText
{
    /// <summary>
    /// A CiliumNetworkPolicy whose only egress rule is <paramref name="snippet"/>: the snippet's first line
    /// is line 9 starting at column 5; each later snippet line n is line 9+n, its text starting at column 5.
    /// </summary>
    public static string Egress(string snippet) => Section("egress", snippet);

    /// <summary>As <see cref="Egress"/>, for the only ingress rule.</summary>
    public static string Ingress(string snippet) => Section("ingress", snippet);

    /// <summary>As <see cref="Egress"/>, for the only rule of any section (ingressDeny, egressDeny, …).</summary>
    public static string Section(string section, string snippet, string kind = "CiliumNetworkPolicy") =>
        "apiVersion: cilium.io/v2\n" +              // 1
        $"kind: {kind}\n" +                          // 2
        "metadata:\n" +                              // 3
        "  name: p\n" +                              // 4
        "  namespace: shop\n" +                      // 5
        "spec:\n" +                                  // 6
        "  endpointSelector: {}\n" +                 // 7
        $"  {section}:\n" +                          // 8
        "  - " + Indent(snippet, 4) + "\n";          // 9…

    /// <summary>
    /// A CiliumNetworkPolicy whose <c>spec</c> body is <paramref name="snippet"/>: first line is line 7 at
    /// column 3; later snippet lines start at column 3.
    /// </summary>
    public static string Spec(string snippet, string kind = "CiliumNetworkPolicy") =>
        "apiVersion: cilium.io/v2\n" +               // 1
        $"kind: {kind}\n" +                          // 2
        "metadata:\n" +                              // 3
        "  name: p\n" +                              // 4
        "  namespace: shop\n" +                      // 5
        "spec:\n" +                                  // 6
        "  " + Indent(snippet, 2) + "\n";            // 7…

    /// <summary>
    /// A Kubernetes NetworkPolicy whose <c>spec</c> body is <paramref name="snippet"/>: first line is line 7 at
    /// column 3, as in <see cref="Spec"/>.
    /// </summary>
    public static string NetworkPolicySpec(string snippet) =>
        "apiVersion: networking.k8s.io/v1\n" +       // 1
        "kind: NetworkPolicy\n" +                    // 2
        "metadata:\n" +                              // 3
        "  name: np\n" +                             // 4
        "  namespace: shop\n" +                      // 5
        "spec:\n" +                                  // 6
        "  " + Indent(snippet, 2) + "\n";            // 7…

    private static string Indent(string snippet, int spaces) =>
        snippet.Replace("\n", "\n" + new string(' ', spaces), StringComparison.Ordinal);
}
