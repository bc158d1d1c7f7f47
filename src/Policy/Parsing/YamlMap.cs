namespace Sluice.Policy.Parsing;

/// <summary>An ordered mapping for <see cref="YamlEmitter"/>; <see cref="Set"/> skips null values so absent fields stay absent.</summary>
internal sealed class YamlMap : List<KeyValuePair<string, object>>
{
    /// <summary>Adds <paramref name="key"/> unless <paramref name="value"/> is null; returns this map for chaining.</summary>
    public YamlMap Set(string key, object? value)
    {
        if (value is not null)
        {
            Add(new KeyValuePair<string, object>(key, value));
        }

        return this;
    }
}
