using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Onboarding.Core.Storage;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// Development stand-in for Key Vault: AES-256-GCM encrypted rows in a table of the local storage emulator, with the
/// key from configuration. The secret name is the associated data, so a row copied under another name fails to decrypt.
/// It refuses to exist in Production. One store serves every request of the process, and an <see cref="AesGcm"/>
/// instance is not safe for concurrent use (its cipher context is shared), so each operation gets its own.
/// </summary>
public sealed class LocalSecretStore : ISecretStore, IDisposable
{
    private const string Partition = "secret";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly TableClient _table;
    private readonly byte[] _key;
    private readonly AsyncOnce _creation;

    public LocalSecretStore(TableServiceClient service, IOptions<SecretsOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.IsProduction())
        {
            throw new InvalidOperationException(
                "The local secret store is for development only. Configure Secrets:VaultUri to keep API keys in Azure Key Vault.");
        }

        _key = DecodeKey(options.Value.LocalEncryptionKey)
            ?? throw new InvalidOperationException("Secrets:LocalEncryptionKey must be the base64 of a 32-byte key.");
        _table = service.GetTableClient(options.Value.LocalTableName);
        _creation = new AsyncOnce(ct => StorageErrors.GuardAsync(() => _table.CreateIfNotExistsAsync(ct), "The local secret store"));
    }

    /// <summary>Null unless <paramref name="base64"/> is a well-formed 256-bit key.</summary>
    public static byte[]? DecodeKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        var buffer = new byte[64];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written == 32 ? buffer[..32] : null;
    }

    public async Task SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        await EnsureCreatedAsync(cancellationToken);
        var plaintext = Encoding.UTF8.GetBytes(value);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(name));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var entity = new TableEntity(Partition, name)
        {
            ["Nonce"] = nonce,
            ["Ciphertext"] = ciphertext,
            ["Tag"] = tag,
            ["Tags"] = JsonSerializer.Serialize(tags),
            ["ContentType"] = "text/plain",
        };
        await StorageErrors.GuardAsync(() => _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), "The local secret store");
    }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await EnsureCreatedAsync(cancellationToken);
        var row = await StorageErrors.GuardAsync(() => _table.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellationToken), "The local secret store");
        if (!row.HasValue || row.Value is not { } entity)
        {
            return null;
        }

        var ciphertext = entity.GetBinary("Ciphertext");
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(entity.GetBinary("Nonce"), ciphertext, entity.GetBinary("Tag"), plaintext, Encoding.UTF8.GetBytes(name));
        return Encoding.UTF8.GetString(plaintext);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await EnsureCreatedAsync(cancellationToken);
        await StorageErrors.GuardAsync(() => _table.DeleteEntityAsync(Partition, name, ETag.All, cancellationToken), "The local secret store");
    }

    public async Task CheckReadyAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await TableReadiness.ProbeAsync(_table, "The local secret store", cancellationToken);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        _creation.Dispose();
    }

    private Task EnsureCreatedAsync(CancellationToken cancellationToken) => _creation.EnsureAsync(cancellationToken);
}
