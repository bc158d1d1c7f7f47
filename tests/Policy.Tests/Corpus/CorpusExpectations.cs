using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Sluice.Policy.Tests.Corpus;

/// <summary>Loads expectations.yaml: corpus-relative path → <see cref="CorpusExpectation"/>.</summary>
internal static class CorpusExpectations
{
    private static readonly Lazy<IReadOnlyDictionary<string, CorpusExpectation>> All = new(Load);

    /// <summary>Every expectation, keyed by corpus-relative path.</summary>
    public static IReadOnlyDictionary<string, CorpusExpectation> ByPath => All.Value;

    private static IReadOnlyDictionary<string, CorpusExpectation> Load()
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build();
        using var reader = new StreamReader(CorpusLocator.ExpectationsPath);
        return deserializer.Deserialize<Dictionary<string, CorpusExpectation>>(reader);
    }
}
