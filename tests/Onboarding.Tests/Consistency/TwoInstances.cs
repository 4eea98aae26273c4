using System.Globalization;
using System.Net.Http.Headers;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Onboarding.Tests.KeyVault;
using Xunit;

namespace Onboarding.Tests.Consistency;

/// <summary>
/// Two Server instances on one Azurite, as Functions scale-out runs them: with <c>useVault</c> both use one fake Key
/// Vault (the real SDK client over <see cref="FakeKeyVaultHandler"/>), otherwise the local encrypted store in the same
/// Azurite. Both table clients go through one <see cref="TableEventPolicy"/>, each server has a
/// <see cref="RequestTracker"/>, and every log entry of both reaches one <see cref="LogSignal"/>. OpenAI is a required
/// provider, so step 1 can show whether a listed key counts.
/// </summary>
public abstract class TwoInstances(AzuriteFixture azurite, bool useVault) : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = azurite;

    public bool UsesVault { get; } = useVault;

    public FakeKeyVaultHandler Vault { get; } = new();

    public TableEventPolicy Table { get; } = new();

    public LogSignal Logs { get; } = new();

    public TestIssuer Issuer { get; private set; } = null!;

    public IReadOnlyList<ApiServer> Servers { get; private set; } = [];

    public IReadOnlyList<RequestTracker> Trackers { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        var servers = new List<ApiServer>();
        var trackers = new List<RequestTracker>();
        for (var i = 0; i < 2; i++)
        {
            var tracker = new RequestTracker();
            trackers.Add(tracker);
            servers.Add(await ApiServer.StartAsync(Azurite, Issuer, Settings(), builder =>
            {
                builder.Services.AddSingleton<IStartupFilter>(tracker);
                var tableOptions = new TableClientOptions { RetryPolicy = new FastRetryPolicy(maxRetries: 2) };
                tableOptions.AddPolicy(Table, HttpPipelinePosition.PerRetry);
                builder.Services.Replace(ServiceDescriptor.Singleton(new TableServiceClient(Azurite.ConnectionString, tableOptions)));
                if (UsesVault)
                {
                    builder.Services.Replace(ServiceDescriptor.Singleton(KeyVaultSecretStore.CreateClient(
                        new SecretsOptions { VaultUri = Vault.VaultUri },
                        new FakeTokenCredential(),
                        VaultHarness.FastOptions(),
                        new HttpClientTransport(new HttpClient(Vault)))));
                }

                builder.Logging.AddProvider(Logs);
                builder.Logging.AddFilter<LogSignal>(null, LogLevel.Debug);
            }));
        }

        Servers = servers;
        Trackers = trackers;
    }

    /// <summary>Completes once neither server has a request in flight.</summary>
    public Task SettledAsync() => Task.WhenAll(Trackers.Select(t => t.WhenIdleAsync()));

    /// <summary>A new user with one authenticated client per server.</summary>
    public RaceUser NewUser(string name = "race")
    {
        var subject = ApiFixture.NewSubject(name);
        var token = Issuer.Mint(subject);
        var clients = Servers.Select(s =>
        {
            var client = s.Client();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }).ToArray();
        return new RaceUser(clients, subject, CurrentUser.DeriveUserKey(Issuer.Authority, subject));
    }

    /// <summary>What is stored for the user's keys, read straight from Azurite and the secret store.</summary>
    public async Task<KeyState> ReadAsync(RaceUser user)
    {
        var rows = await PartitionDump.RowsAsync(Azurite, user.UserKey);
        var index = rows.Where(r => r.RowKey.StartsWith("apikey-", StringComparison.Ordinal))
            .ToDictionary(r => r.GetString("Provider"), r => (SecretName: r.GetString("SecretName"), Hint: r.GetString("Hint")), StringComparer.Ordinal);
        var lease = rows.FirstOrDefault(r => r.RowKey == "keylease");
        var pending = lease?.GetString("Pending") is { Length: > 0 } text ? text.Split(',') : [];
        var secrets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (UsesVault)
        {
            foreach (var name in Vault.ActiveNames($"u-{user.UserKey}-"))
            {
                secrets[name] = Vault.EnabledValues(name);
            }
        }
        else
        {
            var store = Servers[0].Services.GetRequiredService<ISecretStore>();
            foreach (var row in await PartitionDump.SecretRowsAsync(Azurite, user.UserKey))
            {
                secrets[row.RowKey] = await store.GetAsync(row.RowKey, CancellationToken.None) is { } value ? [value] : [];
            }
        }

        return new KeyState(index, pending, secrets, rows.Count);
    }

    public async ValueTask DisposeAsync()
    {
        Table.Clear();
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }

        await Issuer.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?> { ["Secrets:RequiredProviders:0"] = "openai" };
        if (UsesVault)
        {
            var options = VaultHarness.FastOptions();
            settings["Secrets:VaultUri"] = Vault.VaultUri.AbsoluteUri;
            settings["Secrets:KeyVault:MaxRetries"] = options.MaxRetries.ToString(CultureInfo.InvariantCulture);
            settings["Secrets:KeyVault:RetryDelay"] = options.RetryDelay.ToString("c", CultureInfo.InvariantCulture);
            settings["Secrets:KeyVault:MaxRetryDelay"] = options.MaxRetryDelay.ToString("c", CultureInfo.InvariantCulture);
            settings["Secrets:KeyVault:PollingInterval"] = options.PollingInterval.ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }
}

/// <summary>Two Servers on one Azurite and one fake Key Vault.</summary>
public sealed class TwoVaultInstances(AzuriteFixture azurite) : TwoInstances(azurite, useVault: true);

/// <summary>Two Servers on one Azurite with the local encrypted secret store.</summary>
public sealed class TwoLocalInstances(AzuriteFixture azurite) : TwoInstances(azurite, useVault: false);

/// <summary>A user of <see cref="TwoInstances"/>: one client per server.</summary>
public sealed record RaceUser(IReadOnlyList<HttpClient> Clients, string Subject, string UserKey)
{
    public string SecretName(string provider) => $"u-{UserKey}-{provider}";
}

/// <summary>
/// A user's key bookkeeping as stored: index rows (provider to secret name and hint), the lease row's pending
/// providers, and each secret name with the values of its enabled versions.
/// </summary>
public sealed record KeyState(
    IReadOnlyDictionary<string, (string SecretName, string Hint)> Index,
    IReadOnlyList<string> Pending,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Secrets,
    int Rows)
{
    /// <summary>
    /// Every way the stored state breaks the invariant: a listed key whose secret is missing or holds a value with
    /// another hint, a secret no row lists, a secret with more than one enabled version (a replaced key still readable).
    /// Providers in <paramref name="excused"/> are left out (pending ones, when the caller repairs them separately).
    /// </summary>
    public IReadOnlyList<string> Violations(IReadOnlyCollection<string>? excused = null)
    {
        excused ??= [];
        var found = new List<string>();
        foreach (var (provider, (name, hint)) in Index.Where(i => !excused.Contains(i.Key)))
        {
            if (!Secrets.TryGetValue(name, out var values) || values.Count == 0)
            {
                found.Add($"{provider} is listed ({hint}) but its secret does not exist");
            }
            else if (ProviderCatalog.Mask(values[^1]) != hint)
            {
                found.Add($"{provider} is listed as {hint} but its secret holds {ProviderCatalog.Mask(values[^1])}");
            }
        }

        foreach (var (name, values) in Secrets)
        {
            var provider = name[(name.LastIndexOf('-') + 1)..];
            if (excused.Contains(provider))
            {
                continue;
            }

            if (values.Count > 0 && Index.Values.All(i => !string.Equals(i.SecretName, name, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add($"secret {provider} ({ProviderCatalog.Mask(values[^1])}) exists but no row lists it");
            }

            if (values.Count > 1)
            {
                found.Add($"secret {provider} has {values.Count} enabled versions: a replaced key is still readable");
            }
        }

        return found;
    }
}
