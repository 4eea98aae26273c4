using System.Text.Json.Nodes;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;
using Onboarding.Infra.Tests.Arm;
using Onboarding.Infra.Tests.Bicep;
using Xunit;

namespace Onboarding.Infra.Tests;

/// <summary>
/// What a deployment with sample parameters would create, evaluated offline by <c>bicep snapshot</c>: the values
/// that are only known once parameters are given (indexed authorized parties, CORS, names, tags, the optional user).
/// </summary>
public sealed class DeploymentSnapshotTests
{
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string SecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    [Fact]
    public async Task Authorized_parties_become_indexed_app_settings_the_options_binder_reads()
    {
        var settings = AppSettingsOf(await Infra.SampleSnapshotAsync());
        var prefix = $"{AuthOptions.SectionName}__{nameof(AuthOptions.AuthorizedParties)}__";
        Assert.True(typeof(IEnumerable<string>).IsAssignableFrom(typeof(AuthOptions).GetProperty(nameof(AuthOptions.AuthorizedParties))!.PropertyType));

        var parties = settings.Where(setting => setting.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(setting => setting.Key, StringComparer.Ordinal)
            .Select(setting => (setting.Key, setting.Value?.GetValue<string>()))
            .ToList();

        Assert.Equal(
            new (string, string?)[] { (prefix + "0", "https://app.example.com"), (prefix + "1", "https://admin.example.com") },
            parties);
    }

    [Fact]
    public async Task Auth_parameters_become_the_auth_settings()
    {
        var settings = AppSettingsOf(await Infra.SampleSnapshotAsync());

        Assert.Equal("https://issuer.example.com", settings[$"{AuthOptions.SectionName}__{nameof(AuthOptions.Authority)}"]?.GetValue<string>());
        Assert.Equal("api://onboarding", settings[$"{AuthOptions.SectionName}__{nameof(AuthOptions.Audience)}"]?.GetValue<string>());
    }

    [Fact]
    public async Task Cors_allows_exactly_the_configured_origins()
    {
        var site = (await Infra.SampleSnapshotAsync()).Single(ArmTypes.Sites);

        var cors = site["properties"]?["siteConfig"]?["cors"];

        Assert.Equal(new[] { "https://app.example.com", "https://admin.example.com" }, Strings(cors?["allowedOrigins"]));
        Assert.False(cors?["supportCredentials"]?.GetValue<bool>());
    }

    [Fact]
    public async Task Onboarding_table_is_created_with_the_configured_name()
    {
        var snapshot = await Infra.SampleSnapshotAsync();

        var table = snapshot.Single(ArmTypes.StorageTables);

        Assert.EndsWith("/" + new StorageOptions().TableName, table["name"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(new StorageOptions().TableName, AppSettingsOf(snapshot)[$"{StorageOptions.SectionName}__{nameof(StorageOptions.TableName)}"]?.GetValue<string>());
    }

    [Fact]
    public async Task Every_resource_with_a_location_is_tagged_with_the_environment()
    {
        var snapshot = await Infra.SampleSnapshotAsync();

        var tracked = snapshot.Resources.Where(resource => resource["location"] is not null).ToList();

        Assert.NotEmpty(tracked);
        Assert.All(tracked, resource => Assert.Equal("ci", resource["tags"]?["azd-env-name"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Resource_names_are_unique_per_environment_and_fit_azure_limits()
    {
        var ci = await Infra.SampleSnapshotAsync();
        var prod = await Infra.OperatorSnapshotAsync();

        foreach (var type in new[] { ArmTypes.StorageAccounts, ArmTypes.KeyVaults, ArmTypes.Sites, ArmTypes.ServerFarms, ArmTypes.ApplicationInsights })
        {
            Assert.NotEqual(ci.Single(type)["name"]?.GetValue<string>(), prod.Single(type)["name"]?.GetValue<string>());
        }

        Assert.InRange(ci.Single(ArmTypes.StorageAccounts)["name"]!.GetValue<string>().Length, 3, 24);
        Assert.InRange(ci.Single(ArmTypes.KeyVaults)["name"]!.GetValue<string>().Length, 3, 24);
    }

    [Fact]
    public async Task Without_an_operator_only_the_app_identity_is_granted_roles()
    {
        var assignments = (await Infra.SampleSnapshotAsync()).OfType(ArmTypes.RoleAssignments).ToList();

        Assert.Equal(5, assignments.Count);
        Assert.All(assignments, assignment => Assert.Equal("ServicePrincipal", assignment["properties"]?["principalType"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Optional_operator_gets_only_table_and_secret_access_as_a_user()
    {
        var assignments = (await Infra.OperatorSnapshotAsync()).OfType(ArmTypes.RoleAssignments)
            .Where(assignment => assignment["properties"]?["principalId"]?.GetValue<string>() == Infra.OperatorPrincipalId)
            .ToList();

        Assert.All(assignments, assignment => Assert.Equal("User", assignment["properties"]?["principalType"]?.GetValue<string>()));
        var roles = assignments
            .Select(assignment => assignment["properties"]!["roleDefinitionId"]!.GetValue<string>().Split('/')[^1])
            .Order(StringComparer.Ordinal);
        Assert.Equal(new[] { TableDataContributor, SecretsOfficer }, roles);
    }

    [Fact]
    public async Task Deployment_outputs_the_app_url_and_resource_names()
    {
        var outputs = (await Infra.SampleSnapshotAsync()).Outputs;

        Assert.Contains("SERVICE_API_URI", outputs.Select(output => output.Key));
        Assert.Equal(
            (await Infra.SampleSnapshotAsync()).Single(ArmTypes.Sites)["name"]?.GetValue<string>(),
            outputs["AZURE_FUNCTION_NAME"]?.GetValue<string>());
        Assert.Contains("AZURE_STORAGE_ACCOUNT_NAME", outputs.Select(output => output.Key));
        Assert.Contains("AZURE_KEY_VAULT_URI", outputs.Select(output => output.Key));
    }

    private static JsonObject AppSettingsOf(DeploymentSnapshot snapshot) =>
        snapshot.OfType(ArmTypes.SiteConfig).Single(config => config["name"]?.GetValue<string>()?.EndsWith("/appsettings", StringComparison.Ordinal) == true)
            ["properties"] as JsonObject ?? new JsonObject();

    private static string[] Strings(JsonNode? array) =>
        (array as JsonArray ?? new JsonArray()).Select(item => item!.GetValue<string>()).ToArray();
}
