using System.Globalization;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Identities;
using Sluice.Policy.MapState;
using Sluice.Policy.Model;
using Sluice.Policy.Selectors;

namespace Sluice.Policy.Engine;

/// <summary>
/// Kubernetes NetworkPolicy (networking.k8s.io/v1) → a <see cref="CompiledRule"/>, with the Kubernetes
/// meanings: podSelector selects pods of the policy's namespace; policyTypes (default: Ingress, plus Egress
/// when egress rules exist) say which directions go default-deny; a rule with no peers admits every peer;
/// a peer's podSelector and namespaceSelector are ANDed; namespaceSelector matches namespace labels
/// (every namespace carries <c>kubernetes.io/metadata.name</c>); ipBlock is a CIDR with except; a port
/// without number covers every port of its protocol (default TCP).
/// </summary>
internal static class KubernetesNetworkPolicyCompiler
{
    public static CompiledRule Compile(PolicyDocument document, KubernetesNetworkPolicy np, bool audit)
    {
        string ns = np.Namespace ?? document.Namespace ?? "default";
        var origin = new PolicyRef(PolicyKind.KubernetesNetworkPolicy, ns, np.Name, 0);
        var subject = SelectorTranslation.FromModel(np.PodSelector).With(SelectorTranslation.NamespaceIs(ns));
        bool ingressType = np.PolicyTypes?.Contains(NetworkPolicyType.Ingress) ?? true;
        bool egressType = np.PolicyTypes?.Contains(NetworkPolicyType.Egress) ?? (np.Egress?.Count ?? 0) > 0;
        var peerRules = new List<CompiledPeerRule>();
        if (ingressType)
        {
            for (int i = 0; i < (np.Ingress?.Count ?? 0); i++)
            {
                var r = np.Ingress![i];
                peerRules.Add(CompilePeerRule(origin, TrafficDirection.Ingress, audit, ns, r.From, r.Ports,
                    string.Create(CultureInfo.InvariantCulture, $"spec.ingress[{i}]"), r.Location));
            }
        }

        if (egressType)
        {
            for (int i = 0; i < (np.Egress?.Count ?? 0); i++)
            {
                var r = np.Egress![i];
                peerRules.Add(CompilePeerRule(origin, TrafficDirection.Egress, audit, ns, r.To, r.Ports,
                    string.Create(CultureInfo.InvariantCulture, $"spec.egress[{i}]"), r.Location));
            }
        }

        return new CompiledRule(origin, subject, ingressType, egressType, audit, peerRules, [], "spec", np.Location);
    }

    private static CompiledPeerRule CompilePeerRule(PolicyRef origin, TrafficDirection direction, bool audit, string ns,
        IReadOnlyList<NetworkPolicyPeer>? peers, IReadOnlyList<NetworkPolicyPort>? ports, string fieldPath, SourceLocation location)
    {
        var notes = new List<string>();
        var selectors = new List<IdentitySelector>();
        if (peers is null || peers.Count == 0)
        {
            // "If this field is empty or missing, this rule matches all sources/destinations."
            selectors.Add(LabelSelector.All);
        }
        else
        {
            foreach (var peer in peers)
            {
                if (peer.IpBlock is { } block)
                {
                    selectors.Add(new CidrSelector(IpPrefix.FromNetwork(block.Cidr.Network), block.Except.Select(e => IpPrefix.FromNetwork(e.Network))));
                }
                else if (peer.NamespaceSelector is not null)
                {
                    var selector = SelectorTranslation.FromNamespaceSelector(peer.NamespaceSelector);
                    if (peer.PodSelector is not null)
                    {
                        selector = new LabelSelector(selector.Requirements.Concat(SelectorTranslation.FromModel(peer.PodSelector).Requirements));
                    }

                    selectors.Add(selector);
                }
                else if (peer.PodSelector is not null)
                {
                    selectors.Add(SelectorTranslation.FromModel(peer.PodSelector).With(SelectorTranslation.NamespaceIs(ns)));
                }
            }
        }

        var ranges = new List<L4Range>();
        if (ports is null || ports.Count == 0)
        {
            ranges.Add(L4Range.AllTraffic);
        }
        else
        {
            foreach (var port in ports)
            {
                var protocols = RuleCompiler.Protocols(port.Protocol);
                if (port.Port is null)
                {
                    ranges.AddRange(protocols.Select(L4Range.AllPorts));
                }
                else if (port.PortNumber is > ushort.MaxValue)
                {
                    notes.Add($"port {port.Port} is out of range: this entry covers no port");
                }
                else if (port.PortNumber is { } low)
                {
                    int high = port.EndPort is { } end && end > low ? Math.Min(end, ushort.MaxValue) : low;
                    ranges.AddRange(protocols.Select(p => low == 0 ? L4Range.AllPorts(p) : new L4Range(p, (ushort)low, (ushort)high)));
                }
                else
                {
                    notes.Add($"named port '{port.Port}' is not enforced: it allows nothing");
                }
            }
        }

        return new CompiledPeerRule(origin, direction, deny: false, audit, selectors, [.. ranges.Distinct()], notes, fieldPath, location);
    }
}
