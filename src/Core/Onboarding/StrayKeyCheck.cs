using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// Step 1's data is stored and exported as sent, apart from <c>api_keys</c>. A raw key pasted into any other field (or
/// used as a field name) would be stored in the table and come back in the export, so every value and name outside
/// <c>api_keys</c> that passes a provider's key format is taken out of the stored data, with a warning that names no
/// value. Removing rather than refusing keeps a request that carries, say, a 32-character id working: such an id is
/// indistinguishable from a Mistral key, and a key must never be stored.
/// </summary>
internal static class StrayKeyCheck
{
    public const string Warning = "Values that look like API keys were left out of the step's data. Put keys under api_keys, by provider name: they are kept in the secret store.";

    private const int MaxDepth = 64;

    /// <summary>Removes key-like values and names from <paramref name="stored"/> (step 1's data minus <c>api_keys</c>).</summary>
    public static void Strip(StepCheck check, JsonObject stored)
    {
        if (StripObject(stored, 0) > 0)
        {
            check.Warnings.Add(Warning);
        }
    }

    private static int StripObject(JsonObject obj, int depth)
    {
        var removed = 0;
        foreach (var (name, value) in obj.ToArray())
        {
            if (ProviderCatalog.LooksLikeKey(name) || IsKey(value))
            {
                obj.Remove(name);
                removed++;
            }
            else
            {
                removed += StripNode(value, depth + 1);
            }
        }

        return removed;
    }

    private static int StripNode(JsonNode? node, int depth)
    {
        if (depth >= MaxDepth)
        {
            return 0;
        }

        switch (node)
        {
            case JsonObject obj:
                return StripObject(obj, depth);
            case JsonArray array:
                var removed = 0;
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (IsKey(array[i]))
                    {
                        array.RemoveAt(i);
                        removed++;
                    }
                    else
                    {
                        removed += StripNode(array[i], depth + 1);
                    }
                }

                return removed;
            default:
                return 0;
        }
    }

    private static bool IsKey(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text) && ProviderCatalog.LooksLikeKey(text);
}
