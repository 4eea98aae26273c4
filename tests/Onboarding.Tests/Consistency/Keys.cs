namespace Onboarding.Tests.Consistency;

/// <summary>Well-formed, unique keys for the consistency tests, with a tag in them so no two runs share one.</summary>
public static class Keys
{
    public static string New(string provider = "openai")
    {
        var unique = Guid.NewGuid().ToString("N");
        return provider switch
        {
            "openai" => $"sk-race{unique}",
            "anthropic" => $"sk-ant-race{unique}",
            "tavily" => $"tvly-race{unique}",
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Add a key shape for this provider."),
        };
    }
}
