namespace Sluice.FlowExporter.Model;

/// <summary>
/// What a flow shows about one side: endpoint id, identity, namespace, name and labels. Instances are
/// built once per endpoint or identity by the enricher and shared by every flow that refers to them, so
/// enrichment allocates nothing per event.
/// </summary>
public sealed class EndpointView
{
    /// <summary>Creates a view.</summary>
    /// <param name="endpointId">Sluice endpoint id; 0 for peers that are not local endpoints.</param>
    /// <param name="identity">Numeric security identity.</param>
    /// <param name="namespaceName">Policy namespace, empty when none.</param>
    /// <param name="name">Endpoint name (Hubble's pod_name), empty when none.</param>
    /// <param name="labels">Labels in <c>source:key=value</c> form, e.g. <c>k8s:app=frontend</c>.</param>
    public EndpointView(uint endpointId, uint identity, string namespaceName, string name, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(namespaceName);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labels);
        EndpointId = endpointId;
        Identity = identity;
        Namespace = namespaceName;
        Name = name;
        Labels = labels;
    }

    /// <summary>Sluice endpoint id; 0 for remote peers.</summary>
    public uint EndpointId { get; }

    /// <summary>Numeric security identity.</summary>
    public uint Identity { get; }

    /// <summary>Policy namespace.</summary>
    public string Namespace { get; }

    /// <summary>Endpoint name, shown as Hubble's pod_name.</summary>
    public string Name { get; }

    /// <summary>Labels, <c>source:key=value</c>.</summary>
    public IReadOnlyList<string> Labels { get; }
}
