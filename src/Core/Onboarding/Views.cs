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

public sealed record ConfigStepView(int StepNumber, string Title, string Description, bool Required);

public sealed record ProviderView(string Name, string DisplayName, bool Required);

public sealed record ConfigView(IReadOnlyList<ConfigStepView> Steps, IReadOnlyList<string> RequiredProviders, IReadOnlyList<ProviderView> Providers, int TotalSteps);

public sealed record ApiKeysView(IReadOnlyDictionary<string, string> ApiKeys, int TotalProviders, IReadOnlyList<string> ConfiguredProviders);

public sealed record ApiKeySavedView(string Message, string Provider, string Status, string Hint);

public sealed record MeView(string Id, string Issuer, string Subject, string? Email, string? Name);

public sealed record ExportView(MeView User, DateTimeOffset ExportedAt, ProgressView Onboarding, IReadOnlyList<ExportedKeyView> ApiKeys);

public sealed record ExportedKeyView(string Provider, string Hint, DateTimeOffset UpdatedAt, string? Description);

/// <summary>Builds the views from a snapshot; the only place step 1's masked keys are merged into its data.</summary>
public static class ViewBuilder
{
    public static StepView Step(UserSnapshot snapshot, int number)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var definition = StepCatalog.Get(number);
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

    public static StatusView Status(ProgressState p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.IsCompleted, p.CurrentStep, p.CompletionPercentage, p.NextStep, p.StartedAt, p.CompletedAt, p.CanProceedToFinal);
    }

    public static ProgressView Progress(UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var p = snapshot.Progress;
        return new(p.IsCompleted, p.CurrentStep, p.CompletionPercentage, p.NextStep, p.StartedAt, p.UpdatedAt, p.CompletedAt,
            p.CanProceedToFinal, StepCatalog.Steps.Select(s => Step(snapshot, s.Number)).ToArray());
    }

    public static InitView Init(CurrentUser user, UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(new UserView(user.UserKey, user.Email, user.Name), Progress(snapshot), new SessionView(user.UserKey));
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

    public static SummaryView Summary(UserSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var website = snapshot.DataOf(StepCatalog.Website);
        var url = (website?["website_url"] ?? website?["website"]) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var style = website?["style_analysis"] ?? website?["styleAnalysis"] ?? website?["analysis"];
        return new(snapshot.MaskedKeys, url,
            snapshot.DataOf(StepCatalog.Research)?.DeepClone() as JsonObject,
            snapshot.DataOf(StepCatalog.Persona)?.DeepClone() as JsonObject,
            snapshot.DataOf(StepCatalog.Integrations)?.DeepClone() as JsonObject,
            style?.DeepClone(),
            Status(snapshot.Progress));
    }

    public static ConfigView Config(IReadOnlyCollection<string> requiredProviders)
        => new(
            StepCatalog.Steps.Select(s => new ConfigStepView(s.Number, s.Title, s.Description, s.Required)).ToArray(),
            requiredProviders.ToArray(),
            ProviderCatalog.All.Select(p => new ProviderView(p.Name, p.DisplayName, requiredProviders.Contains(p.Name))).ToArray(),
            StepCatalog.Count);
}
