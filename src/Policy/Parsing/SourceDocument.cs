using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Parsing;

/// <summary>
/// One document of a source file: its root node (null for an empty document), its position, and whether the
/// reader already reported an error inside it (duplicate key, non-string key), which rejects the document.
/// </summary>
internal sealed record SourceDocument(SourceNode? Root, int Index, SourceLocation Location, bool HasSourceErrors);
