using System.Text.Json.Nodes;

namespace Onboarding.Infra.Tests.Arm;

/// <summary>The app settings a template gives a function app, with values as written (literals or expressions).</summary>
internal static class AppSettings
{
    /// <summary>
    /// Reads <c>siteConfig.appSettings</c> and the site's <c>config/appsettings</c> resource. When the latter is an
    /// expression (e.g. <c>union(parameters('appSettings'), ...)</c>), every parameter it uses that resolves to an
    /// object literal contributes its keys; settings built at deployment time (e.g. the indexed authorized
    /// parties) are not visible here and are checked on the deployment snapshot instead.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonNode?> Of(ArmResource site)
    {
        var settings = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (site.Properties?["siteConfig"]?["appSettings"] is JsonArray siteConfigSettings)
        {
            foreach (var setting in siteConfigSettings.OfType<JsonObject>())
            {
                if (setting["name"]?.GetValue<string>() is { } name)
                {
                    settings[name] = setting["value"];
                }
            }
        }

        var siteNameParameters = ArmExpressions.ParameterUse().Matches(site.Name).Select(m => m.Value).ToHashSet();
        var configs = site.Scope.Resources.Where(resource =>
            resource.Type == ArmTypes.SiteConfig
            && resource.LastNameSegment == "appsettings"
            && (siteNameParameters.Count == 0 || siteNameParameters.All(p => resource.Name.Contains(p, StringComparison.Ordinal))));
        foreach (var config in configs)
        {
            switch (config.Json["properties"])
            {
                case JsonObject literal:
                    AddAll(settings, literal);
                    break;
                case JsonValue expression when expression.TryGetValue(out string? text):
                    foreach (var parameter in ArmExpressions.ParameterUse().Matches(text).Select(m => m.Value).Distinct())
                    {
                        if (ArmExpressions.Resolve(JsonValue.Create($"[{parameter}]"), config.Scope).Value is JsonObject values)
                        {
                            AddAll(settings, values);
                        }
                    }

                    break;
            }
        }

        return settings;
    }

    public static string? LiteralString(this IReadOnlyDictionary<string, JsonNode?> settings, string name) =>
        settings.TryGetValue(name, out var value) && value is JsonValue jsonValue && jsonValue.TryGetValue(out string? text)
            ? text
            : null;

    private static void AddAll(Dictionary<string, JsonNode?> settings, JsonObject values)
    {
        foreach (var (name, value) in values)
        {
            settings[name] = value;
        }
    }
}
