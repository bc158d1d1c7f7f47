namespace Sluice.Daemon.Control;

/// <summary>A policy document in force.</summary>
/// <param name="Name">metadata.name.</param>
/// <param name="Namespace">metadata.namespace, empty for clusterwide kinds.</param>
/// <param name="Kind">The Kubernetes kind.</param>
/// <param name="SourceFile">The file it came from.</param>
/// <param name="NotEnforced">Fields parsed but not enforced (reported, never silently ignored).</param>
public sealed record LoadedPolicyInfo(string Name, string Namespace, string Kind, string SourceFile, IReadOnlyList<string> NotEnforced);
