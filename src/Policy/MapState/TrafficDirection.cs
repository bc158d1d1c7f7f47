namespace Sluice.Policy.MapState;

/// <summary>Direction of traffic relative to the endpoint whose map state it is.</summary>
public enum TrafficDirection
{
    /// <summary>Traffic into the endpoint (the remote identity is the source).</summary>
    Ingress,

    /// <summary>Traffic out of the endpoint (the remote identity is the destination).</summary>
    Egress,
}
