namespace Sluice.Policy.MapState;

/// <summary>A key and its entry inside one identity's column while the column is being built.</summary>
internal readonly record struct ColumnItem(MapStateKey Key, MapStateEntry Entry)
{
    /// <summary>3 = enforced deny, 2 = audit deny, 1 = allow: a higher tier wins where keys collide.</summary>
    public int Tier => Entry.Deny ? (Entry.Audit ? 2 : 3) : 1;
}
