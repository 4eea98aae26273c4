namespace Onboarding.Core.Onboarding;

/// <summary>A built-in wizard step as the frontend knows it; <c>Onboarding:Steps</c> can override all but the number.</summary>
public sealed record StepDefinition(int Number, string Id, string Title, string Description, bool Required);

/// <summary>
/// The six step slots of the wizard, numbered as the existing frontend numbers them, with their built-in settings
/// (the default profile). The effective rules of a deployment are <see cref="OnboardingRules"/>.
/// </summary>
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
        // Step 1 is optional by default: the current frontend's step 1 is an intro that sends nothing.
        new(ApiKeys, "api-keys", "AI LLM Providers", "Connect the AI provider API keys your content is generated with", Required: false),
        new(Website, "website", "Website Analysis", "Tell us about your website so content matches its style", Required: true),
        new(Research, "research", "AI Research", "Choose how research for your content is done", Required: true),
        new(Persona, "personalization", "Personalization", "Define the persona your content is written in", Required: true),
        new(Integrations, "integrations", "Integrations", "Connect publishing and analytics integrations (optional)", Required: false),
        new(Finish, "finish", "Finish", "Review and finish onboarding", Required: true),
    ];

    public static StepDefinition Get(int number) => Steps[number - 1];

    /// <summary>Parses a route value into a step number; anything but 1–6 is an unknown step.</summary>
    public static bool TryParse(string? value, out int number)
        => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number)
           && number is >= 1 and <= Count
           && value!.Length == 1;
}
