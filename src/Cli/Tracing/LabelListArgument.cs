using Sluice.Policy.Labels;

namespace Sluice.Cli.Tracing;

/// <summary>
/// Parses the <c>k=v[,k=v]</c> label lists of <c>--src</c>/<c>--dst</c>. As in the endpoints file
/// (DESIGN §4.3), a key without a source is a Kubernetes label: <c>app=x</c> means <c>k8s:app=x</c>;
/// <c>reserved:host</c> or <c>k8s:app=x</c> keep the source they name.
/// </summary>
internal static class LabelListArgument
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the bad item.</summary>
    public static IReadOnlyList<Label> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var labels = new List<Label>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (item.Length == 0)
            {
                throw new FormatException($"empty label in '{text}' (expected k=v[,k=v])");
            }

            var label = Label.Parse(item, LabelSource.Kubernetes);
            if (label.Key.Any(char.IsWhiteSpace))
            {
                throw new FormatException($"label key '{label.Key}' contains whitespace");
            }

            labels.Add(label);
        }

        return labels;
    }
}
