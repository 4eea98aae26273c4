using System.Text.Json;
using System.Text.RegularExpressions;

namespace Onboarding.Functions.Tests;

/// <summary>Finds values in committed settings files that look like real credentials rather than placeholders.</summary>
internal static partial class SecretLookingValues
{
    /// <summary>Each string value (with its JSON path) that looks like a secret, and why.</summary>
    public static IReadOnlyList<string> Find(JsonElement root)
    {
        var found = new List<string>();
        Walk(root, "$", found);
        return found;
    }

    public static string? Reason(string value) =>
        value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) ? "a storage account key"
        : value.Contains("SharedAccessSignature", StringComparison.OrdinalIgnoreCase) || SasToken().IsMatch(value) ? "a shared access signature"
        : InstrumentationKey().IsMatch(value) ? "an Application Insights instrumentation key"
        : Jwt().IsMatch(value) ? "a JWT"
        : LongBase64().Matches(value).Any(m => IsMixed(m.Value)) ? "a long base64 string (a key?)"
        : null;

    /// <summary>Keys mix upper case, lower case and digits; GUIDs, hex and URL paths do not.</summary>
    private static bool IsMixed(string run) => run.Any(char.IsAsciiLetterUpper) && run.Any(char.IsAsciiLetterLower) && run.Any(char.IsAsciiDigit);

    private static void Walk(JsonElement element, string path, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, $"{path}.{property.Name}", found);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", found);
                }

                break;
            case JsonValueKind.String when Reason(element.GetString()!) is { } reason:
                found.Add($"{path} looks like {reason}.");
                break;
        }
    }

    [GeneratedRegex(@"InstrumentationKey=[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex InstrumentationKey();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.")]
    private static partial Regex Jwt();

    /// <summary>30 bytes and more of base64 (standard or URL-safe): the size of an AES key or an account key.</summary>
    [GeneratedRegex(@"[A-Za-z0-9+/_-]{40,}={0,2}")]
    private static partial Regex LongBase64();

    [GeneratedRegex(@"[?&]sig=[A-Za-z0-9%+/=]{10,}")]
    private static partial Regex SasToken();
}
