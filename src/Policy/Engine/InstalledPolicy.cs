using Sluice.Policy.Identities;
using Sluice.Policy.Model;

namespace Sluice.Policy.Engine;

/// <summary>A policy document installed in the engine, with its compiled rules and the CIDR prefixes it needs.</summary>
internal sealed record InstalledPolicy(string Key, PolicyDocument Document, bool Audit, IReadOnlyList<CompiledRule> Rules, IReadOnlyList<IpPrefix> Prefixes);
