using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;

namespace Onboarding.Core.Onboarding;

// Response shapes. Property names become snake_case on the wire, matching the existing frontend's client.

public sealed record StepView(int StepNumber, string Title, string Description, string Status, bool Required, DateTimeOffset? CompletedAt, DateTimeOffset? UpdatedAt, JsonObject? Data);

public sealed record StatusView(bool IsCompleted, int CurrentStep, int CompletionPercentage, int? NextStep, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, bool CanProceedToFinal);

public sealed record ProgressView(
    bool IsCompleted,
    int CurrentStep,
    int CompletionPercentage,
    int? NextStep,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastUpdated,
    DateTimeOffset? CompletedAt,
    bool CanProceedToFinal,
    IReadOnlyList<StepView> Steps);

public sealed record UserView(string Id, string? Email, string? Name);

/// <summary><c>session_id</c> is the user's id, kept because the frontend reads it; it is never accepted as input.</summary>
public sealed record SessionView(string SessionId);

public sealed record InitView(UserView User, ProgressView Onboarding, SessionView Session);

public sealed record StepCompletedView(string Message, int StepNumber, JsonObject? Data, IReadOnlyList<string> Warnings);

public sealed record StepSavedView(string Message, int StepNumber, JsonObject? Data, string Status);

public sealed record FinishedView(string Message, DateTimeOffset? CompletedAt, int CompletionPercentage);

public sealed record ResetView(string Message, bool Hard, ProgressView Progress);

public sealed record ResumeView(string Message, int CurrentStep, int? NextStep, int CompletionPercentage, bool IsCompleted, StepView Step);

public sealed record SummaryView(
    IReadOnlyDictionary<string, string> ApiKeys,
    string? WebsiteUrl,
    JsonObject? ResearchPreferences,
    JsonObject? PersonalizationSettings,
    JsonObject? Integrations,
    JsonNode? StyleAnalysis,
    StatusView Status);

/// <summary>One configured step; <c>schema</c> is the JSON Schema its data must satisfy to complete it.</summary>
public sealed record ConfigStepView(int StepNumber, string Id, string Title, string Description, bool Required, bool Skippable, JsonNode? Schema);

public sealed record ProviderView(string Name, string DisplayName, bool Required);

public sealed record ConfigView(
    IReadOnlyList<ConfigStepView> Steps,
    IReadOnlyList<string> RequiredProviders,
    IReadOnlyList<ProviderView> Providers,
    int TotalSteps,
    bool EnforceOrder,
    int MinimumApiKeys,
    int FinishStep);

/// <summary>Step 2's data as the final step reads it: <c>website_url</c> and <c>style_analysis</c> beside the client's own fields.</summary>
public sealed record WebsiteAnalysisView(string? WebsiteUrl, JsonNode? StyleAnalysis, string Status, JsonObject? Data);

/// <summary>Key status per provider, as the API-key validation step reads it; <c>api_keys</c> are masked, never raw.</summary>
public sealed record ApiKeyValidationView(
    IReadOnlyDictionary<string, string> ApiKeys,
    IReadOnlyDictionary<string, ApiKeyStatusView> ValidationResults,
    bool AllValid,
    int TotalProviders,
    IReadOnlyList<string> ConfiguredProviders,
    IReadOnlyList<string> MissingKeys);

public sealed record ApiKeyStatusView(bool Valid, string Status);

public sealed record ApiKeysView(IReadOnlyDictionary<string, string> ApiKeys, int TotalProviders, IReadOnlyList<string> ConfiguredProviders);

public sealed record ApiKeySavedView(string Message, string Provider, string Status, string Hint);

public sealed record MeView(string Id, string Issuer, string Subject, string? Email, string? Name);

public sealed record ExportView(MeView User, DateTimeOffset ExportedAt, ProgressView Onboarding, IReadOnlyList<ExportedKeyView> ApiKeys);

public sealed record ExportedKeyView(string Provider, string Hint, DateTimeOffset UpdatedAt, string? Description);

/// <summary>Builds the views from a snapshot; the only place step 1's masked keys are merged into its data.</summary>
public static class ViewBuilder
{
    public static StepView Step(OnboardingRules rules, UserSnapshot snapshot, int number)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(snapshot);
        var definition = rules.Get(number);
        var progress = snapshot.Progress.Step(number);
        // The view only reads the snapshot's data, except step 1's, which gets the masked keys added to a copy.
        var data = snapshot.DataOf(number);
        if (number == StepCatalog.ApiKeys)
        {
            data = data?.DeepClone() as JsonObject ?? [];
            var keys = new JsonObject();
            foreach (var (provider, hint) in snapshot.MaskedKeys)
            {
                keys[provider] = hint;
            }

            data[StepValidator.ApiKeysField] = keys;
        }

        return new StepView(number, definition.Title, definition.Description, progress.Status.ToString().ToLowerInvariant(),
            definition.Required, progress.CompletedAt, progress.UpdatedAt ?? snapshot.Steps.GetValueOrDefault(number)?.UpdatedAt, data);
    }

    public static StatusView Status(OnboardingRules rules, ProgressState p)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(p);
        return new(p.IsCompleted, p.CurrentStep, p.CompletionPercentage, p.NextStep, p.StartedAt, p.CompletedAt, rules.CanProceedToFinal(p));
    }

    public static ProgressView Progress(OnboardingRules rules, UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(snapshot);
        var p = snapshot.Progress;
        return new(p.IsCompleted, p.CurrentStep, p.CompletionPercentage, p.NextStep, p.StartedAt, p.UpdatedAt, p.CompletedAt,
            rules.CanProceedToFinal(p), StepCatalog.Steps.Select(s => Step(rules, snapshot, s.Number)).ToArray());
    }

    public static InitView Init(OnboardingRules rules, CurrentUser user, UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(new UserView(user.UserKey, user.Email, user.Name), Progress(rules, snapshot), new SessionView(user.UserKey));
    }

    public static ApiKeysView ApiKeys(UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var masked = snapshot.MaskedKeys;
        return new(masked, masked.Count, masked.Keys.ToArray());
    }

    public static MeView Me(CurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.UserKey, user.Issuer, user.Subject, user.Email, user.Name);
    }

    public static SummaryView Summary(OnboardingRules rules, UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var website = WebsiteAnalysis(snapshot);
        var research = snapshot.DataOf(StepCatalog.Research);
        return new(snapshot.MaskedKeys, website.WebsiteUrl,
            research is null ? null : SummaryDefaults.Research(research),
            snapshot.DataOf(StepCatalog.Persona) is { } persona ? SummaryDefaults.Personalization(persona, research) : null,
            snapshot.DataOf(StepCatalog.Integrations)?.DeepClone() as JsonObject,
            website.StyleAnalysis,
            Status(rules, snapshot.Progress));
    }

    /// <summary>Step 2 as the final step reads it; the URL and style from whichever of the names the client used.</summary>
    public static WebsiteAnalysisView WebsiteAnalysis(UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var website = snapshot.DataOf(StepCatalog.Website);
        var url = (website?["website_url"] ?? website?["website"]) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var style = website?["style_analysis"] ?? website?["styleAnalysis"] ?? website?["analysis"];
        return new(url, style?.DeepClone(), snapshot.Progress.Step(StepCatalog.Website).Status.ToString().ToLowerInvariant(), website?.DeepClone() as JsonObject);
    }

    public static ApiKeyValidationView ApiKeyValidation(OnboardingRules rules, UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(snapshot);
        var masked = snapshot.MaskedKeys;
        var verified = snapshot.VerifiedProviders;
        var configured = verified.ToHashSet(StringComparer.Ordinal);
        var missing = rules.RequiredProviders.Where(p => !configured.Contains(p)).ToArray();
        var results = new Dictionary<string, ApiKeyStatusView>(StringComparer.Ordinal);
        foreach (var provider in rules.RequiredProviders.Concat(masked.Keys).Distinct(StringComparer.Ordinal))
        {
            var valid = configured.Contains(provider);
            results[provider] = new ApiKeyStatusView(valid, valid ? "configured" : "missing");
        }

        return new(masked, results, missing.Length == 0 && configured.Count >= rules.MinimumApiKeys, verified.Count, verified, missing);
    }

    public static ConfigView Config(OnboardingRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new(
            rules.Steps.Select(s => new ConfigStepView(s.Number, s.Id, s.Title, s.Description, s.Required, s.Skippable, JsonNode.Parse(s.Schema.Text))).ToArray(),
            rules.RequiredProviders.ToArray(),
            ProviderCatalog.All.Select(p => new ProviderView(p.Name, p.DisplayName, rules.RequiredProviders.Contains(p.Name))).ToArray(),
            StepCatalog.Count,
            rules.EnforceOrder,
            rules.MinimumApiKeys,
            rules.FinishStep);
    }
}
