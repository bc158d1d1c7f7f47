using Sluice.Policy.Diagnostics;

namespace Sluice.Policy.Model;

/// <summary>One <c>toServices</c> entry: a service by name or by label selector. Parsed, not enforced.</summary>
public sealed record ServiceSelector
{
    /// <summary>Where the entry starts.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary><c>k8sService.serviceName</c>, when the entry names a service.</summary>
    public string? ServiceName { get; init; }

    /// <summary><c>k8sService.namespace</c> or <c>k8sServiceSelector.namespace</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary><c>k8sServiceSelector.selector</c>, when the entry selects services by label.</summary>
    public EndpointSelector? Selector { get; init; }
}
