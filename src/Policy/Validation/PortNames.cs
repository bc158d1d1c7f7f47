namespace Sluice.Policy.Validation;

/// <summary>
/// IANA service names as port names (RFC 6335 §5.1, the rule Cilium's pkg/iana applies): 1–15 characters of
/// letters, digits and hyphens, at least one letter, no leading, trailing or doubled hyphen. Cilium checks
/// the name form before the number form, so <c>0x50</c> is a name, not 80; names compare case-insensitively
/// and are lower-cased.
/// </summary>
internal static class PortNames
{
    /// <summary>True when <paramref name="text"/> is a valid service name.</summary>
    public static bool IsServiceName(string text)
    {
        if (text.Length is 0 or > 15 || text[0] == '-' || text[^1] == '-' || text.Contains("--", StringComparison.Ordinal))
        {
            return false;
        }

        var hasLetter = false;
        foreach (var c in text)
        {
            if (char.IsAsciiLetter(c))
            {
                hasLetter = true;
            }
            else if (!char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        return hasLetter;
    }
}
