using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Tests.Fakes;

/// <summary>A <see cref="KeyVaultSecretStore"/> over the real <see cref="SecretClient"/>, wired to a <see cref="FakeKeyVaultHandler"/>.</summary>
internal sealed class VaultHarness
{
    public VaultHarness(FakeKeyVaultHandler? handler = null, Action<KeyVaultSecretStoreOptions>? configure = null, FakeTokenCredential? credential = null)
    {
        Handler = handler ?? new FakeKeyVaultHandler();
        Options = FastOptions();
        configure?.Invoke(Options);
        Credential = credential ?? new FakeTokenCredential();
        Logs = new RecordingLoggerProvider();
        Client = KeyVaultSecretStore.CreateClient(
            new SecretsOptions { VaultUri = Handler.VaultUri },
            Credential,
            Options,
            new HttpClientTransport(new HttpClient(Handler)));
        Store = new KeyVaultSecretStore(Client, Microsoft.Extensions.Options.Options.Create(Options), Logs.CreateLogger<KeyVaultSecretStore>());
    }

    public FakeKeyVaultHandler Handler { get; }

    public KeyVaultSecretStoreOptions Options { get; }

    public FakeTokenCredential Credential { get; }

    public RecordingLoggerProvider Logs { get; }

    public SecretClient Client { get; }

    public KeyVaultSecretStore Store { get; }

    /// <summary>The production shape with millisecond delays, so retries and polls do not slow the tests down.</summary>
    public static KeyVaultSecretStoreOptions FastOptions() => new()
    {
        MaxRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        NetworkTimeout = TimeSpan.FromSeconds(5),
        MaxServerRetryDelay = TimeSpan.FromMilliseconds(100),
        PollingInterval = TimeSpan.FromMilliseconds(2),
        DeleteCompletionTimeout = TimeSpan.FromSeconds(5),
        RecoveryTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>A secret name of the shape the service uses: <c>u-{UserKey}-{provider}</c>.</summary>
    public static string SecretName(string provider = "openai") => $"u-{Guid.NewGuid():N}-{provider}";

    public static Dictionary<string, string> Tags(string name, string provider = "openai") => new()
    {
        ["user"] = name.Split('-')[1],
        ["provider"] = provider,
    };
}
