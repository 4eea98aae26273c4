using System.Text.Json;
using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Core.Onboarding;

/// <summary>Keys and errors found in a step's data. Field names are the client's, e.g. <c>api_keys.openai</c>.</summary>
public sealed class StepCheck
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public List<string> Warnings { get; } = [];

    /// <summary>Keys found in step 1's <c>api_keys</c> that are new or changed (masked echoes are not keys).</summary>
    public List<NewApiKey> Keys { get; } = [];

    /// <summary>The data as it is stored: secrets removed. Nothing changes it after the check.</summary>
    public JsonObject StoredData { get; set; } = [];

    public bool IsValid => Errors.Count == 0;

    public void Error(string field, string message) => Errors[field] = [message];
}

/// <summary>
/// What each step needs: its configured JSON Schema (<see cref="OnboardingRules"/>), and for step 1 the API keys, which
/// are always checked here, go to the secret store and are removed from the stored data whatever the schema says.
/// </summary>
public static class StepValidator
{
    public const string ApiKeysField = "api_keys";

    /// <summary>
    /// Checks <paramref name="data"/> for <paramref name="step"/>. With <paramref name="completing"/> false (a draft)
    /// only what is present is checked; completing also requires what the step needs.
    /// </summary>
    public static StepCheck Check(OnboardingRules rules, int step, JsonObject data, UserSnapshot snapshot, bool completing)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(snapshot);
        // Only step 1's stored data differs from what was sent (its keys are taken out); the others store it as it is.
        var check = new StepCheck { StoredData = step == StepCatalog.ApiKeys ? (JsonObject)data.DeepClone() : data };
        foreach (var (field, messages) in rules.Get(step).Schema.Check(data, completing))
        {
            check.Errors[field] = messages;
        }

        if (step == StepCatalog.ApiKeys)
        {
            CheckApiKeys(check, data, snapshot, rules, completing);
            StrayKeyCheck.Strip(check, check.StoredData);
        }

        return check;
    }

    private static void CheckApiKeys(StepCheck check, JsonObject data, UserSnapshot snapshot, OnboardingRules rules, bool completing)
    {
        var provided = new HashSet<string>(snapshot.VerifiedProviders, StringComparer.Ordinal);

        // Keys never reach the table: they go to the secret store and the step keeps only the rest of its data.
        check.StoredData.Remove(ApiKeysField);
        var keysNode = data[ApiKeysField];
        if (keysNode is JsonObject keys)
        {
            foreach (var (name, value) in keys)
            {
                var field = $"{ApiKeysField}.{name}";
                var provider = ProviderCatalog.Find(name);
                if (provider is null && ProviderCatalog.LooksLikeKey(name))
                {
                    // A key where the provider's name belongs (the two swapped): neither echoed nor used as a field name.
                    check.Error(ApiKeysField, "A key was given where a provider name belongs. Send api_keys as provider names to keys, e.g. {\"openai\": \"sk-...\"}.");
                    continue;
                }

                if (provider is null)
                {
                    check.Error(field, $"'{Truncate(name)}' is not a supported provider.");
                    continue;
                }

                if (value is null || value.GetValueKind() == JsonValueKind.Null || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0))
                {
                    continue;
                }

                if (value.GetValueKind() != JsonValueKind.String)
                {
                    check.Error(field, "An API key must be a string.");
                    continue;
                }

                var key = value.GetValue<string>().Trim();
                var existing = snapshot.ApiKeys.FirstOrDefault(k => k.Provider == provider.Name);
                if (existing is not null && key == existing.Hint)
                {
                    // The wizard sends back the masked hint it was shown: the stored key stays as it is.
                    continue;
                }

                var problem = ProviderCatalog.CheckKey(provider, key);
                if (problem is not null)
                {
                    check.Error(field, problem);
                    continue;
                }

                check.Keys.Add(new NewApiKey(provider, key, null));
                provided.Add(provider.Name);
            }
        }
        else if (keysNode is not null)
        {
            check.Error(ApiKeysField, "api_keys must be an object of provider names to keys.");
        }

        if (!completing || !check.IsValid)
        {
            return;
        }

        if (provided.Count < rules.MinimumApiKeys)
        {
            check.Error(ApiKeysField, rules.MinimumApiKeys == 1 ? "Add at least one AI provider API key." : $"Add at least {rules.MinimumApiKeys} AI provider API keys.");
        }

        foreach (var missing in rules.RequiredProviders.Where(p => !provided.Contains(p)))
        {
            check.Error($"{ApiKeysField}.{missing}", $"An API key for {ProviderCatalog.Find(missing)?.DisplayName ?? missing} is required.");
        }
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
