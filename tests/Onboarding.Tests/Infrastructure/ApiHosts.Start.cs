namespace Onboarding.Tests.Infrastructure;

/// <summary>Starting a host of either kind; apart from the settings so that projects without the Functions host can share them.</summary>
public static partial class ApiHosts
{
    public static async Task<IApiHost> StartAsync(
        ApiHostKind kind,
        AzuriteFixture azurite,
        TestIssuer? issuer,
        IDictionary<string, string?>? settings = null,
        string environment = "Testing") => kind switch
        {
            ApiHostKind.Server => await ApiServer.StartAsync(azurite, issuer, settings, environment: environment),
            ApiHostKind.Functions => await FunctionsApiHost.StartAsync(azurite, issuer, settings, environment),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
}
