using System.Text.RegularExpressions;

namespace Onboarding.Core.ApiKeys;

/// <summary>A provider whose API key the service stores, with the format its keys have.</summary>
public sealed record Provider(string Name, string DisplayName, Regex Format, string FormatHint);

/// <summary>The providers the service accepts keys for. Unknown providers are refused, so names stay safe for Key Vault.</summary>
public static partial class ProviderCatalog
{
    public const int MinKeyLength = 8;
    public const int MaxKeyLength = 512;

    public static IReadOnlyList<Provider> All { get; } =
    [
        new("openai", "OpenAI", OpenAi(), "OpenAI keys start with 'sk-'."),
        new("anthropic", "Anthropic", Anthropic(), "Anthropic keys start with 'sk-ant-'."),
        new("gemini", "Google Gemini", Gemini(), "Gemini keys start with 'AIza' and are 39 characters long."),
        new("mistral", "Mistral", Mistral(), "Mistral keys are 32 letters and digits."),
        new("tavily", "Tavily", Tavily(), "Tavily keys start with 'tvly-'."),
        new("serper", "Serper", Serper(), "Serper keys are 40 hexadecimal characters."),
        new("exa", "Exa", Uuid(), "Exa keys are UUIDs."),
        new("firecrawl", "Firecrawl", Firecrawl(), "Firecrawl keys start with 'fc-'."),
        new("stability", "Stability AI", Stability(), "Stability AI keys start with 'sk-'."),
        new("copilotkit", "CopilotKit", CopilotKit(), "CopilotKit public keys start with 'ck_pub_'."),
    ];

    public static Provider? Find(string? name)
        => name is not null && NamePattern().IsMatch(name) ? All.FirstOrDefault(p => p.Name == name) : null;

    /// <summary>Null when the key is acceptable for the provider, else a message that never contains the key.</summary>
    public static string? CheckKey(Provider provider, string? key)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (string.IsNullOrEmpty(key))
        {
            return $"An API key for {provider.DisplayName} is required.";
        }

        if (key.Length is < MinKeyLength or > MaxKeyLength)
        {
            return $"API keys must be {MinKeyLength} to {MaxKeyLength} characters long.";
        }

        return provider.Format.IsMatch(key) ? null : $"This does not look like a {provider.DisplayName} key. {provider.FormatHint}";
    }

    /// <summary>True when <paramref name="value"/> passes any provider's key format: it must be treated as a key wherever it appears.</summary>
    public static bool LooksLikeKey(string? value)
    {
        var text = value?.Trim();
        return text is { Length: >= MinKeyLength and <= MaxKeyLength } && All.Any(p => p.Format.IsMatch(text));
    }

    /// <summary>The only form of a key that ever leaves the service: its last four characters.</summary>
    public static string Mask(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "****" + key[^Math.Min(4, key.Length / 4)..];
    }

    [GeneratedRegex("^[a-z0-9]{1,32}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^sk-(?!ant-)[A-Za-z0-9_-]{20,200}$")]
    private static partial Regex OpenAi();

    [GeneratedRegex("^sk-ant-[A-Za-z0-9_-]{20,200}$")]
    private static partial Regex Anthropic();

    [GeneratedRegex("^AIza[0-9A-Za-z_-]{35}$")]
    private static partial Regex Gemini();

    [GeneratedRegex("^[A-Za-z0-9]{32}$")]
    private static partial Regex Mistral();

    [GeneratedRegex("^tvly-[A-Za-z0-9_-]{16,100}$")]
    private static partial Regex Tavily();

    [GeneratedRegex("^[a-f0-9]{40}$")]
    private static partial Regex Serper();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.IgnoreCase)]
    private static partial Regex Uuid();

    [GeneratedRegex("^fc-[A-Za-z0-9]{16,100}$")]
    private static partial Regex Firecrawl();

    [GeneratedRegex("^sk-[A-Za-z0-9]{20,100}$")]
    private static partial Regex Stability();

    [GeneratedRegex("^ck_pub_[A-Za-z0-9]{16,100}$")]
    private static partial Regex CopilotKit();
}
