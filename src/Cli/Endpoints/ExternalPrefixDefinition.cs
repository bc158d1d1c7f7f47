using Sluice.Policy.Diagnostics;
using Sluice.Policy.Identities;

namespace Sluice.Cli.Endpoints;

/// <summary>One entry of the endpoints file's <c>external:</c> list: a labelled prefix outside this host.</summary>
/// <param name="Prefix">The prefix.</param>
/// <param name="Labels">Labels as written (keys may carry a source prefix).</param>
/// <param name="Location">Where the entry starts in the file.</param>
internal sealed record ExternalPrefixDefinition(
    IpPrefix Prefix,
    IReadOnlyDictionary<string, string> Labels,
    SourceLocation Location);
