using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Infrastructure;
using Onboarding.Tests.Performance;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>
/// Anonymous readiness probes reuse one answer for Health:ReadyCacheDuration, so they cannot turn into a stream of
/// Table Storage queries and Key Vault listings (whose throttling every user's key writes share).
/// Server only: the window is crossed with a FakeTimeProvider and the secret store's probes are counted by wrapping it,
/// both replaced in the host's DI container, which the Functions worker (another process) does not share; storage
/// requests alone could be counted through a <see cref="StorageFaultProxy"/>, the clock cannot be moved.
/// </summary>
public sealed class ReadinessCacheTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Readiness_requests_within_the_window_share_one_probe_and_the_next_window_probes_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var storage = new StorageRequestCounter();
        var secretCalls = new ConcurrentQueue<string>();
        await using var issuer = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?> { ["Health:ReadyCacheDuration"] = "00:00:05" }, builder =>
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            var options = new TableClientOptions();
            options.AddPolicy(storage, HttpPipelinePosition.PerRetry);
            builder.Services.Replace(ServiceDescriptor.Singleton(new TableServiceClient(azurite.ConnectionString, options)));
            var secrets = builder.Services.Single(d => d.ServiceType == typeof(ISecretStore));
            builder.Services.Remove(secrets);
            builder.Services.AddSingleton<ISecretStore>(sp => new CountingSecretStore((ISecretStore)secrets.ImplementationFactory!(sp), secretCalls));
        });
        using var anonymous = server.Client();
        var ct = TestContext.Current.CancellationToken;

        async Task ReadyAsync()
        {
            var body = await (await anonymous.GetAsync("api/health/ready", ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("ready", body["status"]!.GetValue<string>());
        }

        int StorageProbes() => storage.Requests.Count(r => r == "query onboarding");
        int SecretProbes() => secretCalls.Count(c => c == "ready");

        // A miss: concurrent requests share one probe; later requests within the window reuse its answer.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ReadyAsync()));
        for (var i = 0; i < 10; i++)
        {
            await ReadyAsync();
        }

        Assert.Equal(1, StorageProbes());
        Assert.Equal(1, SecretProbes());

        time.Advance(TimeSpan.FromSeconds(4));
        await ReadyAsync();
        Assert.Equal(1, SecretProbes());

        // Past the window, the next request probes again, once.
        time.Advance(TimeSpan.FromSeconds(2));
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ReadyAsync()));
        await ReadyAsync();
        Assert.Equal(2, StorageProbes());
        Assert.Equal(2, SecretProbes());
    }
}
