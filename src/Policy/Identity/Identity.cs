using Sluice.Policy.Labels;

namespace Sluice.Policy.Identities;

/// <summary>
/// A security identity: a number the datapath carries and the labels policy selects it by. CIDR
/// identities (and labelled external prefixes) also carry the <see cref="Prefix"/> they stand for, which
/// is what CIDR rules match by containment.
/// </summary>
public sealed class Identity : IEquatable<Identity>
{
    /// <summary>Creates an identity.</summary>
    public Identity(uint id, LabelSet labels, IpPrefix? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Id = id;
        Labels = labels;
        Prefix = prefix;
    }

    /// <summary>The numeric identity.</summary>
    public uint Id { get; }

    /// <summary>The identity's labels.</summary>
    public LabelSet Labels { get; }

    /// <summary>The IP prefix the identity stands for, for CIDR identities and labelled external prefixes.</summary>
    public IpPrefix? Prefix { get; }

    /// <summary>Whether this identity is outside the cluster (world, CIDR, external prefix).</summary>
    public bool IsWorld => ReservedIdentity.IsWorld(Id) || Prefix is not null;

    /// <summary>Whether this identity belongs to the local cluster (Cilium's <c>IsCluster</c>).</summary>
    public bool IsCluster => !IsWorld;

    /// <summary>The reserved identity with this name (<c>host</c>, <c>world</c>, …) and its <c>reserved:</c> label(s).</summary>
    public static Identity Reserved(uint id)
    {
        var name = ReservedIdentity.ByName.FirstOrDefault(kv => kv.Value == id).Key
            ?? throw new ArgumentOutOfRangeException(nameof(id), id, "not a reserved identity");
        var labels = new List<Label> { new(LabelSource.Reserved, name, string.Empty) };

        // kube-apiserver runs on nodes: Cilium gives it the remote-node label too, so remote-node selects it.
        if (id == ReservedIdentity.KubeApiServer)
        {
            labels.Add(new Label(LabelSource.Reserved, "remote-node", string.Empty));
        }

        return new Identity(id, new LabelSet(labels));
    }

    /// <summary>All reserved identities 1–10, each with its labels.</summary>
    public static IReadOnlyList<Identity> AllReserved { get; } =
        [.. ReservedIdentity.ByName.Values.Order().Select(Reserved)];

    /// <summary>
    /// A CIDR identity for <paramref name="prefix"/>: labels <c>cidr:&lt;prefix&gt;</c> and
    /// <c>reserved:world</c> (CIDR identities are part of the world, as in Cilium).
    /// </summary>
    public static Identity ForCidr(uint id, IpPrefix prefix) => new(
        id,
        new LabelSet([new Label(LabelSource.Cidr, prefix.ToString().Replace(':', '-'), string.Empty),
            new Label(LabelSource.Reserved, "world", string.Empty)]),
        prefix);

    /// <inheritdoc/>
    public bool Equals(Identity? other) =>
        other is not null && other.Id == Id && other.Labels.Equals(Labels) && Nullable.Equals(other.Prefix, Prefix);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Identity);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Labels, Prefix);

    /// <summary><c>id (labels)</c>.</summary>
    public override string ToString() => $"{Id} ({Labels})";
}
