using System.Text.Json.Nodes;

namespace Onboarding.Infra.Tests.Arm;

/// <summary>
/// The security and configuration rules the deployment must keep. Each check returns what is wrong (empty when
/// the template complies) and reports a missing resource as a violation, so a check can never pass vacuously.
/// </summary>
internal static class InfraPolicies
{
    /// <summary>The built-in roles the template may assign, by role definition GUID.</summary>
    public static readonly IReadOnlyDictionary<string, string> IntendedRoles = new Dictionary<string, string>
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = "Key Vault Secrets Officer",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    /// <summary>The main-template parameter that may name one user to grant data access to.</summary>
    public const string UserPrincipalParameter = "principalId";

    // Text that only appears when a template reads or embeds a key: key listing, account keys, SAS, key-based
    // connection strings, instrumentation keys.
    private static readonly string[] KeyMaterialMarkers =
    [
        "listKeys", "listAccountSas", "listServiceSas", "listConnectionStrings", "listSecrets",
        "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "DefaultEndpointsProtocol", "InstrumentationKey",
    ];

    // App settings that hold a storage or telemetry key when present.
    private static readonly string[] KeyBearingSettings =
    [
        "AzureWebJobsStorage", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "APPINSIGHTS_INSTRUMENTATIONKEY",
    ];

    public static IReadOnlyList<string> NoKeyMaterial(ArmTemplate template)
    {
        var violations = new List<string>();
        var text = template.Root.ToJsonString();
        foreach (var marker in KeyMaterialMarkers)
        {
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"The template contains '{marker}'.");
            }
        }

        foreach (var site in template.FunctionApps)
        {
            var settings = AppSettings.Of(site);
            violations.AddRange(KeyBearingSettings
                .Where(settings.ContainsKey)
                .Select(name => $"{site}: app setting {name} carries a key; use the identity-based settings."));
        }

        return violations;
    }

    public static IReadOnlyList<string> StorageDisallowsSharedKeys(ArmTemplate template) =>
        Each(template, ArmTypes.StorageAccounts, account =>
            IsFalse(account, "allowSharedKeyAccess") ? null : "allowSharedKeyAccess must be false (absent means true).");

    public static IReadOnlyList<string> StorageRequiresTls12HttpsAndPrivateBlobs(ArmTemplate template) =>
        Each(template, ArmTypes.StorageAccounts, account =>
            StringOf(account, "minimumTlsVersion") != "TLS1_2" ? "minimumTlsVersion must be TLS1_2."
            : !IsTrue(account, "supportsHttpsTrafficOnly") ? "supportsHttpsTrafficOnly must be true."
            : !IsFalse(account, "allowBlobPublicAccess") ? "allowBlobPublicAccess must be false."
            : null);

    public static IReadOnlyList<string> KeyVaultUsesRbacSoftDeleteAndPurgeProtection(ArmTemplate template) =>
        Each(template, ArmTypes.KeyVaults, vault =>
            !IsTrue(vault, "enableRbacAuthorization") ? "enableRbacAuthorization must be true."
            : !IsTrue(vault, "enableSoftDelete") ? "enableSoftDelete must be true."
            : !IsTrue(vault, "enablePurgeProtection") ? "enablePurgeProtection must be true."
            : vault.Properties?["accessPolicies"] is JsonArray { Count: > 0 } ? "access policies bypass RBAC; use role assignments."
            : null);

    public static IReadOnlyList<string> ApplicationInsightsDisablesLocalAuth(ArmTemplate template) =>
        Each(template, ArmTypes.ApplicationInsights, component =>
            IsTrue(component, "DisableLocalAuth") ? null : "DisableLocalAuth must be true.");

    public static IReadOnlyList<string> FunctionAppIsHttpsOnlyWithoutFtp(ArmTemplate template) =>
        EachFunctionApp(template, site =>
            !IsTrue(site, "httpsOnly") ? "httpsOnly must be true."
            : site.Properties?["siteConfig"]?["ftpsState"]?.GetValue<string>() != "Disabled" ? "siteConfig.ftpsState must be Disabled."
            : site.Properties?["siteConfig"]?["minTlsVersion"]?.GetValue<string>() != "1.2" ? "siteConfig.minTlsVersion must be 1.2."
            : null);

    public static IReadOnlyList<string> FunctionAppRefusesBasicAuthPublishing(ArmTemplate template) =>
        EachFunctionApp(template, site =>
        {
            var policies = site.Scope.Resources
                .Where(resource => resource.Type == ArmTypes.BasicPublishingCredentialsPolicies && !resource.IsExisting)
                .ToList();
            foreach (var channel in new[] { "ftp", "scm" })
            {
                var policy = policies.FirstOrDefault(p => p.LastNameSegment == channel);
                if (policy is null || !IsFalse(policy, "allow"))
                {
                    return $"basicPublishingCredentialsPolicies/{channel} must exist with allow: false.";
                }
            }

            return null;
        });

    public static IReadOnlyList<string> FunctionAppRunsDotnetIsolated10OnFlexConsumption(ArmTemplate template) =>
        EachFunctionApp(template, site =>
        {
            var config = site.Properties?["functionAppConfig"];
            var plans = site.Scope.Resources.Where(resource => resource.Type == ArmTypes.ServerFarms && !resource.IsExisting).ToList();
            return site.Kind != "functionapp,linux" ? "kind must be 'functionapp,linux'."
                : config?["runtime"]?["name"]?.GetValue<string>() != "dotnet-isolated" ? "functionAppConfig.runtime.name must be dotnet-isolated."
                : config?["runtime"]?["version"]?.GetValue<string>() != "10.0" ? "functionAppConfig.runtime.version must be 10.0."
                : plans.Count != 1 ? "the app's template must declare exactly one plan."
                : plans[0].Json["sku"]?["name"]?.GetValue<string>() != "FC1" || plans[0].Json["sku"]?["tier"]?.GetValue<string>() != "FlexConsumption"
                    ? "the plan's SKU must be FC1 / FlexConsumption."
                : !IsTrue(plans[0], "reserved") ? "the plan must be a Linux (reserved) plan."
                : null;
        });

    public static IReadOnlyList<string> FunctionAppUsesItsSystemAssignedIdentityForStorage(ArmTemplate template) =>
        EachFunctionApp(template, site =>
        {
            var storage = site.Properties?["functionAppConfig"]?["deployment"]?["storage"];
            var settings = AppSettings.Of(site);
            return site.Json["identity"]?["type"]?.GetValue<string>() != "SystemAssigned" ? "identity.type must be SystemAssigned."
                : storage?["type"]?.GetValue<string>() != "blobContainer" ? "deployment storage must be a blob container."
                : storage?["authentication"]?["type"]?.GetValue<string>() != "SystemAssignedIdentity"
                    ? "deployment storage must authenticate with SystemAssignedIdentity."
                : settings.LiteralString("AzureWebJobsStorage__credential") != "managedidentity"
                    ? "AzureWebJobsStorage__credential must be managedidentity."
                : !settings.ContainsKey("AzureWebJobsStorage__accountName") ? "AzureWebJobsStorage__accountName must be set."
                : null;
        });

    public static IReadOnlyList<string> ApplicationInsightsUsesEntraIdAuth(ArmTemplate template) =>
        EachFunctionApp(template, site =>
        {
            var settings = AppSettings.Of(site);
            return settings.LiteralString("APPLICATIONINSIGHTS_AUTHENTICATION_STRING") != "Authorization=AAD"
                    ? "APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be Authorization=AAD."
                : !settings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING") ? "APPLICATIONINSIGHTS_CONNECTION_STRING must be set."
                : null;
        });

    public static IReadOnlyList<string> FunctionAppHasSettings(ArmTemplate template, IEnumerable<string> names) =>
        EachFunctionApp(template, site =>
        {
            var settings = AppSettings.Of(site);
            var missing = names.Where(name => !settings.ContainsKey(name)).ToList();
            return missing.Count == 0 ? null : $"missing app settings: {string.Join(", ", missing)}.";
        });

    /// <summary>
    /// Every role assignment grants one of <see cref="IntendedRoles"/>, either to a function app's own identity
    /// (as a service principal) or to the optional user parameter (as a user), under a guid(scope, principal, role) name.
    /// </summary>
    public static IReadOnlyList<string> RoleAssignmentsAreIntended(ArmTemplate template)
    {
        var assignments = template.OfType(ArmTypes.RoleAssignments).Select(r => new RoleAssignment(r)).ToList();
        if (assignments.Count == 0)
        {
            return ["No role assignments found."];
        }

        var violations = new List<string>();
        foreach (var assignment in assignments)
        {
            if (assignment.RoleDefinitionGuid is not { } role || !IntendedRoles.ContainsKey(role))
            {
                violations.Add($"{assignment}: role {assignment.RoleDefinitionGuid ?? "(not pinned)"} is not one of the intended roles.");
            }

            switch (assignment.Principal)
            {
                case Principal.FunctionAppIdentity when assignment.PrincipalType == "ServicePrincipal":
                case Principal.MainTemplateParameter { Name: UserPrincipalParameter } when assignment.PrincipalType == "User":
                    break;
                case var other:
                    violations.Add($"{assignment}: principal {other} with principalType '{assignment.PrincipalType}' is not the app's identity or the optional user.");
                    break;
            }

            if (!assignment.HasDeterministicName)
            {
                violations.Add($"{assignment}: name must be guid(scope, principalId, roleId).");
            }
        }

        return violations;
    }

    /// <summary>The app's identity holds every role it needs: host storage, table, secrets, telemetry.</summary>
    public static IReadOnlyList<string> FunctionAppIdentityHoldsEveryIntendedRole(ArmTemplate template) =>
        EachFunctionApp(template, site =>
        {
            var held = template.OfType(ArmTypes.RoleAssignments)
                .Select(r => new RoleAssignment(r))
                .Where(a => a.Principal is Principal.FunctionAppIdentity identity && identity.Site == site)
                .Select(a => a.RoleDefinitionGuid)
                .ToHashSet();
            var missing = IntendedRoles.Where(role => !held.Contains(role.Key)).Select(role => role.Value).ToList();
            return missing.Count == 0 ? null : $"the app's identity lacks: {string.Join(", ", missing)}.";
        });

    public static IReadOnlyList<string> EveryParameterIsDescribed(ArmTemplate template)
    {
        var violations = new List<string>();
        foreach (var scope in template.Scopes)
        {
            foreach (var (name, parameter) in scope.Template["parameters"] as JsonObject ?? new JsonObject())
            {
                var description = parameter?["metadata"]?["description"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(description))
                {
                    violations.Add($"{scope.Path}: parameter '{name}' has no @description.");
                }
            }
        }

        return violations;
    }

    private static List<string> Each(ArmTemplate template, string type, Func<ArmResource, string?> check)
    {
        var resources = template.OfType(type).ToList();
        return resources.Count == 0
            ? [$"No {type} found."]
            : resources.Select(resource => check(resource) is { } problem ? $"{resource}: {problem}" : null).OfType<string>().ToList();
    }

    private static List<string> EachFunctionApp(ArmTemplate template, Func<ArmResource, string?> check)
    {
        var sites = template.FunctionApps.ToList();
        return sites.Count == 0
            ? ["No function app found."]
            : sites.Select(site => check(site) is { } problem ? $"{site}: {problem}" : null).OfType<string>().ToList();
    }

    private static bool IsTrue(ArmResource resource, string property) => BoolOf(resource, property) == true;

    private static bool IsFalse(ArmResource resource, string property) => BoolOf(resource, property) == false;

    private static bool? BoolOf(ArmResource resource, string property) =>
        resource.Properties?[property] is JsonValue value && value.TryGetValue(out bool flag) ? flag : null;

    private static string? StringOf(ArmResource resource, string property) =>
        resource.Properties?[property] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
