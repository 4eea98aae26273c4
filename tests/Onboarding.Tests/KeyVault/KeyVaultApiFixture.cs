using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// The tests that run the API against Key Vault share one host per host kind, so the log-capture check sees every key
/// operation of all of them. One collection per host: they run one after another, which also keeps the fake vault's
/// request counts exact.
/// </summary>
[CollectionDefinition(Name)]
public sealed class KeyVaultApiGroup : ICollectionFixture<KeyVaultApiFixture>
{
    public const string Name = "Key Vault API";
}

/// <summary>The same on the Functions worker.</summary>
[CollectionDefinition(Name)]
public sealed class FunctionsKeyVaultApiGroup : ICollectionFixture<FunctionsKeyVaultApiFixture>
{
    public const string Name = "Key Vault API on Functions";
}

/// <summary>
/// A real Server with <c>Secrets:VaultUri</c> set, whose <see cref="SecretClient"/> is the real SDK client over the
/// <see cref="FakeKeyVaultHandler"/> and whose tables are the shared Azurite behind a <see cref="StorageFaultProxy"/>.
/// Requests flow HTTP → Server → Core → SecretClient → fake vault. Every log entry (all levels) and every response
/// (status, headers, body) is recorded, and every raw key a test sends is registered, so no test can leak one unseen.
/// <see cref="FunctionsKeyVaultApiFixture"/> runs the same over the Functions worker.
/// </summary>
public class KeyVaultApiFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _rawKeys = new();
    private readonly ConcurrentQueue<RecordedResponse> _responses = new();

    public AzuriteFixture Azurite { get; } = azurite;

    private LoopbackKeyVault? _loopback;
    private FakeKeyVaultHandler? _vault;

    /// <summary>Which host serves the API under test.</summary>
    public virtual ApiHostKind Kind => ApiHostKind.Server;

    public FakeKeyVaultHandler Vault => _vault ?? throw new InvalidOperationException("The fixture is not started yet.");

    /// <summary>The vault as the Functions worker reaches it (token endpoint, proxy tunnel); null on the Server.</summary>
    public LoopbackKeyVault? Loopback => _loopback;

    /// <summary>
    /// The credential of the Server's SecretClient. The Functions worker uses its own DefaultAzureCredential against the
    /// loopback vault's managed-identity endpoint instead (<see cref="LoopbackKeyVault"/>).
    /// </summary>
    public FakeTokenCredential Credential { get; } = new();

    /// <summary>
    /// The host's storage account: Azurite behind a fault proxy, so table faults meet the host's own storage client and
    /// retry policy on either host.
    /// </summary>
    public StorageFaultProxy Storage { get; private set; } = null!;

    /// <summary>Every log entry of the in-process Server, all levels; the Functions worker's are in its output.</summary>
    public RecordingLoggerProvider Logs { get; } = new();

    public TestIssuer Issuer { get; private set; } = null!;

    public IApiHost Host { get; private set; } = null!;

    /// <summary>What the Functions worker wrote and logged (Warning and above); empty on the Server.</summary>
    public string WorkerOutput => Host is FunctionsApiHost functions
        ? functions.WorkerOutput + Environment.NewLine + string.Join(Environment.NewLine, functions.WorkerLog)
        : "";

    /// <summary>Whether the host logged an error that mentions <paramref name="text"/>, in-process or in the worker.</summary>
    public bool LoggedError(string text) => Host is FunctionsApiHost functions
        ? functions.WorkerLog.Any(e => e.StartsWith("[worker Error]", StringComparison.Ordinal) && e.Contains(text, StringComparison.Ordinal))
        : Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains(text, StringComparison.Ordinal));

    /// <summary>Every raw key any test of the collection has sent (or will send) to the API.</summary>
    public IReadOnlyList<string> RawKeys => [.. _rawKeys];

    public IReadOnlyList<RecordedResponse> Responses => [.. _responses];

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Storage = await StorageFaultProxy.StartAsync(Azurite);
        var options = VaultHarness.FastOptions();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Storage.ConnectionString,
            // The readiness tests inject vault faults one after another into this shared server: probe every time.
            ["Health:ReadyCacheDuration"] = "00:00:00",
            ["Secrets:KeyVault:MaxRetries"] = options.MaxRetries.ToString(CultureInfo.InvariantCulture),
            ["Secrets:KeyVault:RetryDelay"] = options.RetryDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Secrets:KeyVault:MaxRetryDelay"] = options.MaxRetryDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Secrets:KeyVault:NetworkTimeout"] = options.NetworkTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Secrets:KeyVault:MaxServerRetryDelay"] = options.MaxServerRetryDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Secrets:KeyVault:PollingInterval"] = options.PollingInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Secrets:KeyVault:DeleteCompletionTimeout"] = options.DeleteCompletionTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Secrets:KeyVault:RecoveryTimeout"] = options.RecoveryTimeout.ToString("c", CultureInfo.InvariantCulture),
        };

        if (Kind == ApiHostKind.Functions)
        {
            _loopback = await LoopbackKeyVault.StartAsync();
            _vault = _loopback.Vault;
            settings["Secrets:VaultUri"] = Vault.VaultUri.AbsoluteUri;
            foreach (var (name, value) in _loopback.ProcessEnvironment)
            {
                settings[name] = value;
            }

            Host = await FunctionsApiHost.StartAsync(Azurite, Issuer, settings);
            return;
        }

        _vault = new FakeKeyVaultHandler();
        settings["Secrets:VaultUri"] = Vault.VaultUri.AbsoluteUri;
        Host = await ApiServer.StartAsync(Azurite, Issuer, settings, builder =>
        {
            var secretClient = KeyVaultSecretStore.CreateClient(
                new SecretsOptions { VaultUri = Vault.VaultUri },
                Credential,
                options,
                new HttpClientTransport(new HttpClient(Vault)));
            builder.Services.Replace(ServiceDescriptor.Singleton(secretClient));
            builder.Logging.AddProvider(Logs);
            builder.Logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
        });
    }

    /// <summary>A brand-new user whose client records every response it gets.</summary>
    public VaultUser NewUser(string name = "user")
    {
        var subject = ApiFixture.NewSubject(name);
        var client = new HttpClient(new RecordingHandler(_responses)) { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issuer.Mint(subject));
        return new VaultUser(client, subject, CurrentUser.DeriveUserKey(Issuer.Authority, subject));
    }

    /// <summary>A fresh, well-formed key for <paramref name="provider"/>, registered for the leak checks.</summary>
    public string NewKey(string provider = "openai")
    {
        var unique = Guid.NewGuid().ToString("N");
        var key = provider switch
        {
            "openai" => $"sk-kvraw{unique}",
            "anthropic" => $"sk-ant-kvraw{unique}",
            "gemini" => $"AIza{unique}kvraw".PadRight(39, 'x')[..39],
            "tavily" => $"tvly-kvraw{unique}",
            "exa" => Guid.NewGuid().ToString("D"),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Add a key shape for this provider."),
        };
        _rawKeys.Enqueue(key);
        return key;
    }

    /// <summary>Registers a raw value a test sends as a key (e.g. a malformed one), for the leak checks.</summary>
    public string Register(string rawKey)
    {
        _rawKeys.Enqueue(rawKey);
        return rawKey;
    }

    /// <summary>Log entries and responses that contain any registered raw key (or all of it but its masked last four).</summary>
    public IReadOnlyList<string> Leaks()
    {
        var needles = RawKeys.Select(k => k[..^4]).ToArray();
        var leaks = new List<string>();
        foreach (var entry in Logs.Entries)
        {
            if (needles.FirstOrDefault(n => entry.AllText.Contains(n, StringComparison.Ordinal)) is { } found)
            {
                leaks.Add($"log {entry.Category} {entry.Level}: holds a key starting {found[..8]}");
            }
        }

        var workerOutput = WorkerOutput;
        if (needles.FirstOrDefault(n => workerOutput.Contains(n, StringComparison.Ordinal)) is { } inOutput)
        {
            leaks.Add($"Functions worker output: holds a key starting {inOutput[..8]}");
        }

        foreach (var response in Responses)
        {
            if (needles.FirstOrDefault(n => response.Text.Contains(n, StringComparison.Ordinal)) is { } found)
            {
                leaks.Add($"response to {response.Method} {response.Path} ({response.Status}): holds a key starting {found[..8]}");
            }
        }

        return leaks;
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await Host.DisposeAsync();
        await Storage.DisposeAsync();
        await Issuer.DisposeAsync();
        if (_loopback is not null)
        {
            await _loopback.DisposeAsync();
        }
    }

    /// <summary>Keeps each response's status, headers and body, then hands the response on, unread.</summary>
    private sealed class RecordingHandler(ConcurrentQueue<RecordedResponse> log) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
            log.Enqueue(new RecordedResponse(request.Method.Method, request.RequestUri?.AbsolutePath ?? "", (int)response.StatusCode, headers + "\n\n" + body));
            return response;
        }
    }
}

/// <summary>
/// The Key Vault API on the compiled Functions worker, a process of its own: its app settings point it at the
/// <see cref="LoopbackKeyVault"/>, which serves the same fake vault over HTTPS, and its own DefaultAzureCredential gets
/// a token from the vault's managed-identity endpoint. Its tables are the shared Azurite behind the same fault proxy.
/// </summary>
public sealed class FunctionsKeyVaultApiFixture(AzuriteFixture azurite) : KeyVaultApiFixture(azurite)
{
    public override ApiHostKind Kind => ApiHostKind.Functions;
}

/// <summary>A response as the client saw it: headers and body in <see cref="Text"/>.</summary>
public sealed record RecordedResponse(string Method, string Path, int Status, string Text);

/// <summary>A test user of the Key Vault server: an authenticated client and the names the service derives for them.</summary>
public sealed record VaultUser(HttpClient Client, string Subject, string UserKey)
{
    /// <summary>The Key Vault secret that holds this user's key for <paramref name="provider"/>: <c>u-{UserKey}-{provider}</c>.</summary>
    public string SecretName(string provider = "openai") => $"u-{UserKey}-{provider}";
}
