namespace Onboarding.Core.Onboarding;

/// <summary>A wizard step as the frontend knows it.</summary>
public sealed record StepDefinition(int Number, string Title, string Description, bool Required);

/// <summary>The six steps of the wizard, numbered as the existing frontend numbers them.</summary>
public static class StepCatalog
{
    public const int ApiKeys = 1;
    public const int Website = 2;
    public const int Research = 3;
    public const int Persona = 4;
    public const int Integrations = 5;
    public const int Finish = 6;
    public const int Count = 6;

    public static IReadOnlyList<StepDefinition> Steps { get; } =
    [
        new(ApiKeys, "AI LLM Providers", "Connect the AI provider API keys your content is generated with", Required: true),
        new(Website, "Website Analysis", "Tell us about your website so content matches its style", Required: true),
        new(Research, "AI Research", "Choose how research for your content is done", Required: true),
        new(Persona, "Personalization", "Define the persona your content is written in", Required: true),
        new(Integrations, "Integrations", "Connect publishing and analytics integrations (optional)", Required: false),
        new(Finish, "Finish", "Review and finish onboarding", Required: true),
    ];

    public static StepDefinition Get(int number) => Steps[number - 1];

    /// <summary>Parses a route value into a step number; anything but 1–6 is an unknown step.</summary>
    public static bool TryParse(string? value, out int number)
        => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number)
           && number is >= 1 and <= Count
           && value!.Length == 1;
}
