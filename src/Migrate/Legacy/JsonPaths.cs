using System.Globalization;
using System.Text.RegularExpressions;

namespace Onboarding.Migrate.Legacy;

/// <summary>JSON paths as System.Text.Json writes them in its errors: <c>$.steps[2].status</c>, <c>$['42']</c>.</summary>
internal static partial class JsonPaths
{
    public const string Root = "$";

    public static string Property(string parent, string name)
        => PlainName().IsMatch(name) ? $"{parent}.{name}" : $"{parent}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();
}
