using System.Security.Cryptography;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Onboarding.Functions.Tests;

/// <summary>
/// The Functions app's host, built (not started) exactly as Program.cs builds it, with test settings in place of the
/// app settings the Functions host would pass. Nothing here opens the worker's gRPC channel.
/// </summary>
internal static class FunctionsAppHost
{
    /// <summary>Settings for a development run: Azurite's well-known account, the local secret store, the given issuer.</summary>
    public static Dictionary<string, string?> Settings(string authority) => new()
    {
        ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        ["Secrets:LocalEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Auth:Authority"] = authority,
    };

    /// <param name="settings">Configuration for the app, as the host's app settings would give it.</param>
    /// <param name="configure">Runs after the app's own wiring, as a later line of Program.cs would.</param>
    public static IHost Build(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureOnboardingFunctions();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
