using System.Reflection;
using System.Text.Json;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>host.json and local.settings.sample.json at the repository root: valid, wired to the API's prefix, placeholders only.</summary>
public sealed class HostSettingsTests
{
    private static readonly string[] SettingsFiles = ["host.json", "local.settings.sample.json"];

    public static TheoryData<string> Files() => [.. SettingsFiles];

    [Theory]
    [MemberData(nameof(Files))]
    public void Settings_file_is_valid_json(string file)
    {
        using var document = Read(file);

        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public void Host_json_is_version_2_and_serves_the_api_under_the_Core_route_prefix()
    {
        using var host = Read("host.json");

        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal(ApiRoutes.Prefix, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Host_json_puts_the_host_in_OpenTelemetry_mode_like_the_worker_and_has_no_classic_Application_Insights_settings()
    {
        using var host = Read("host.json");

        // The worker exports through OpenTelemetry (UseFunctionsWorkerDefaults); the host then does too, so both share
        // one trace. logging.applicationInsights configures the host's classic SDK, which this mode does not use.
        Assert.Equal("OpenTelemetry", host.RootElement.GetProperty("telemetryMode").GetString());
        Assert.False(host.RootElement.GetProperty("logging").TryGetProperty("applicationInsights", out _));
    }

    [Fact]
    public void Local_settings_sample_runs_the_isolated_worker_against_Azurite_in_Development()
    {
        using var sample = Read("local.settings.sample.json");

        Assert.False(sample.RootElement.GetProperty("IsEncrypted").GetBoolean());
        var values = sample.RootElement.GetProperty("Values");
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("Development", values.GetProperty("AZURE_FUNCTIONS_ENVIRONMENT").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("Storage__ConnectionString").GetString());
    }

    [Fact]
    public void Local_settings_sample_names_only_settings_that_Core_options_bind()
    {
        var options = new Dictionary<string, Type>
        {
            [StorageOptions.SectionName] = typeof(StorageOptions),
            [SecretsOptions.SectionName] = typeof(SecretsOptions),
            [AuthOptions.SectionName] = typeof(AuthOptions),
        };
        using var sample = Read("local.settings.sample.json");

        var unbound = sample.RootElement.GetProperty("Values").EnumerateObject()
            .Select(p => p.Name.Split("__"))
            .Where(parts => parts.Length == 2 && options.ContainsKey(parts[0]))
            .Where(parts => options[parts[0]].GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance) is null)
            .Select(parts => string.Join("__", parts));
        Assert.Empty(unbound);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Settings_file_holds_no_secret_looking_values(string file)
    {
        using var document = Read(file);

        Assert.Empty(SecretLookingValues.Find(document.RootElement));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc;EndpointSuffix=core.windows.net")]
    [InlineData("Endpoint=sb://x.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x")]
    [InlineData("https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=AbCdEf0123456789%2B")]
    [InlineData("InstrumentationKey=00000000-1111-2222-3333-444444444444;IngestionEndpoint=https://x")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl")]
    [InlineData("ZGV2LW9ubHkta2V5LWZvci10aGUtbG9jYWwtc3RvcmU=")]
    public void Secret_detector_flags_credentials_of_each_kind(string value)
    {
        Assert.NotNull(SecretLookingValues.Reason(value));
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("<base64 32-byte key for the local store>")]
    [InlineData("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0")]
    [InlineData("http://localhost:3000")]
    [InlineData("dotnet-isolated")]
    public void Secret_detector_leaves_placeholders_and_addresses_alone(string value)
    {
        Assert.Null(SecretLookingValues.Reason(value));
    }

    private static JsonDocument Read(string file) => JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine(file)));
}
