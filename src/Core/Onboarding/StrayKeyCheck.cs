using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// Step 1's data is stored and exported as sent, apart from <c>api_keys</c>. A raw key pasted into any other field (or
/// used as a field name) would be stored in the table and come back in the export and in error field names, so step 1
/// refuses any value or name that passes a provider's key format outside <c>api_keys</c>, without naming it.
/// </summary>
internal static class StrayKeyCheck
{
    public const string Message = "This looks like an API key. Put keys under api_keys, by provider name: they are kept in the secret store, never in the step's data.";

    private const int MaxDepth = 64;

    public static void Reject(StepCheck check, JsonObject data)
    {
        foreach (var (name, value) in data)
        {
            if (name == StepValidator.ApiKeysField)
            {
                // Checked entry by entry by the step's own rules, which refuse a key used as a provider name.
                continue;
            }

            Visit(check, FieldName(name), name, value, 0);
        }
    }

    private static void Visit(StepCheck check, string path, string name, JsonNode? node, int depth)
    {
        if (ProviderCatalog.LooksLikeKey(name) || (node is JsonValue value && value.TryGetValue<string>(out var text) && ProviderCatalog.LooksLikeKey(text)))
        {
            check.Error(path, Message);
            return;
        }

        if (depth >= MaxDepth)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (child, childNode) in obj)
                {
                    Visit(check, $"{path}.{FieldName(child)}", child, childNode, depth + 1);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Visit(check, $"{path}[{i}]", string.Empty, array[i], depth + 1);
                }

                break;
        }
    }

    /// <summary>A field name as it may appear in an error: never a key, and short.</summary>
    private static string FieldName(string name)
        => ProviderCatalog.LooksLikeKey(name) ? "(a name that looks like an API key)" : name.Length <= 32 ? name : name[..32] + "…";
}
