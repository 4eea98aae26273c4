using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Performance;

/// <summary>
/// A Server whose TableServiceClient counts its requests and whose secret store counts its calls, both swapped in
/// through <see cref="ApiServer"/>'s configure hook. The tables exist before any test counts (warmed up).
/// </summary>
public sealed class CountedApiFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>A well-formed Gemini key (39 characters).</summary>
    public const string GeminiKey = "AIzaSyA0123456789abcdefghijklmnopqrstuv";

    private readonly ConcurrentQueue<string> _secretCalls = new();

    public StorageRequestCounter Storage { get; } = new();

    /// <summary>Calls that reached the secret store since the last <see cref="Reset"/>: "set", "get", "delete", "ready".</summary>
    public IReadOnlyList<string> SecretCalls => [.. _secretCalls];

    public TestIssuer Issuer { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Server = await ApiServer.StartAsync(azurite, Issuer, configure: builder =>
        {
            var options = new TableClientOptions();
            options.AddPolicy(Storage, HttpPipelinePosition.PerRetry);
            builder.Services.Replace(ServiceDescriptor.Singleton(new TableServiceClient(azurite.ConnectionString, options)));

            var secrets = builder.Services.Single(d => d.ServiceType == typeof(ISecretStore));
            builder.Services.Remove(secrets);
            builder.Services.AddSingleton<ISecretStore>(sp => new CountingSecretStore((ISecretStore)secrets.ImplementationFactory!(sp), _secretCalls));
        });

        // Warm up: the first request of a process creates the tables (once per process); counts start after that.
        var (client, _) = NewUser("warmup");
        await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = StepData.OpenAiKey })).ExpectAsync(HttpStatusCode.OK);
        Reset();
    }

    public (HttpClient Client, string Subject) NewUser(string name = "user")
    {
        var subject = ApiFixture.NewSubject(name);
        return (Server.WithToken(Issuer.Mint(subject)), subject);
    }

    public void Reset()
    {
        Storage.Reset();
        _secretCalls.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
