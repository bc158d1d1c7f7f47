namespace Sluice.FlowExporter.Model;

/// <summary>A policy named in a flow's <c>*_allowed_by</c> / <c>*_denied_by</c> lists.</summary>
/// <param name="Name">metadata.name of the policy.</param>
/// <param name="Namespace">metadata.namespace; empty for clusterwide policies.</param>
/// <param name="Kind">CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy or NetworkPolicy.</param>
/// <param name="Revision">Policy revision in which the rule was installed.</param>
/// <param name="Labels">Rule labels in <c>source:key=value</c> form.</param>
public sealed record PolicyName(string Name, string Namespace, string Kind, ulong Revision, IReadOnlyList<string> Labels);
