using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Migrate.Legacy;

/// <summary>The record's keys, times and flags, each checked where it is read.</summary>
internal static partial class LegacyRecordConverter
{
    private sealed partial class Conversion
    {
        private void ReadKeys(JsonNode node, string path)
        {
            if (node is not JsonObject keys)
            {
                Problem(path, "api_keys must be an object of provider names to keys.");
                return;
            }

            foreach (var (name, value) in keys)
            {
                var keyPath = JsonPaths.Property(path, name);
                if (value is null || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim().Length == 0))
                {
                    continue;
                }

                _keyCount++;
                var provider = ProviderCatalog.Find(name.Trim().ToLowerInvariant());
                if (provider is null)
                {
                    Problem(keyPath, $"Unknown provider. Supported: {string.Join(", ", ProviderCatalog.All.Select(p => p.Name))}.");
                    continue;
                }

                if (value.GetValueKind() != JsonValueKind.String)
                {
                    Problem(keyPath, "An API key must be a string.");
                    continue;
                }

                var key = value.GetValue<string>().Trim();
                if (ProviderCatalog.CheckKey(provider, key) is { } keyProblem)
                {
                    Problem(keyPath, keyProblem);
                    continue;
                }

                if (_keys.TryGetValue(provider.Name, out var earlier))
                {
                    _keyCount--;
                    if (earlier.Value != key)
                    {
                        Problem(keyPath, $"The record holds two different {provider.DisplayName} keys.");
                    }

                    continue;
                }

                _keys[provider.Name] = new LegacyKey(provider, key);
            }
        }

        private DateTimeOffset? Time(string property) => Time(Record, property, JsonPaths.Property(legacy.Path, property));

        private DateTimeOffset? Time(JsonObject owner, string property, string path)
        {
            var node = owner[property];
            if (node is null)
            {
                return null;
            }

            if (node.GetValueKind() == JsonValueKind.String)
            {
                var text = node.GetValue<string>().Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
                {
                    return value;
                }
            }

            Problem(path, $"{Shorten(node)} is not an ISO 8601 date and time.");
            return null;
        }

        private bool Flag(string property)
        {
            var node = Record[property];
            switch (node?.GetValueKind())
            {
                case null or JsonValueKind.Null:
                    return false;
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    Problem(JsonPaths.Property(legacy.Path, property), $"{property} must be true or false.");
                    return false;
            }
        }
    }
}
