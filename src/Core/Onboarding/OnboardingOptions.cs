namespace Onboarding.Core.Onboarding;

/// <summary>The built-in sets of wizard rules <see cref="OnboardingOptions.Profile"/> chooses between.</summary>
public enum OnboardingProfile
{
    /// <summary>What the existing frontend needs: no order rule, steps 1 (API keys / intro) and 5 (integrations) optional.</summary>
    Default,

    /// <summary>Every step required, completed in order, and step 1 needs at least one API key.</summary>
    Strict,
}

/// <summary>
/// The <c>Onboarding</c> section: the wizard's steps as deployment configuration. Every setting is optional; what is
/// not set comes from <see cref="Profile"/> and the built-in steps. Checked at start-up by <see cref="OnboardingOptionsValidator"/>.
/// </summary>
public sealed class OnboardingOptions
{
    public const string SectionName = "Onboarding";

    /// <summary>The base rules; the other settings override it.</summary>
    public OnboardingProfile Profile { get; set; } = OnboardingProfile.Default;

    /// <summary>When true a step can be completed or skipped only after every earlier step is done. Default: the profile's.</summary>
    public bool? EnforceOrder { get; set; }

    /// <summary>How many API keys the user must have stored to complete step 1. Default: the profile's (0, strict 1).</summary>
    public int? MinimumApiKeys { get; set; }

    /// <summary>Providers that must have a key before step 1 can be completed (added to <c>Secrets:RequiredProviders</c>).</summary>
    public IList<string> RequiredProviders { get; } = [];

    /// <summary>The step whose completion finishes onboarding; no required step may come after it.</summary>
    public int FinishStep { get; set; } = StepCatalog.Finish;

    /// <summary>Overrides of the built-in steps, matched by <see cref="StepOptions.Number"/>; unset fields keep the built-in value.</summary>
    public IList<StepOptions> Steps { get; } = [];
}

/// <summary>One entry of <c>Onboarding:Steps</c>.</summary>
public sealed class StepOptions
{
    /// <summary>The step it configures, 1 to 6 (the numbers the frontend and the stored progress use).</summary>
    public int Number { get; set; }

    /// <summary>A stable name, e.g. <c>website</c>.</summary>
    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    /// <summary>Whether onboarding can be finished without completing this step.</summary>
    public bool? Required { get; set; }

    /// <summary>Whether <c>POST step/{n}/skip</c> is allowed. A required step is never skippable.</summary>
    public bool? Skippable { get; set; }

    /// <summary>
    /// A JSON Schema (draft 2020-12, as JSON text) the step's data must satisfy to complete it. A draft is checked only
    /// against its <c>properties</c>. <c>x-error: {field, message}</c> on a subschema names the field and message of its failures.
    /// </summary>
    public string? Schema { get; set; }
}
