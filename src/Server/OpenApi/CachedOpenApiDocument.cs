using System.Text;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// The OpenAPI document, generated once and then served as bytes. Generating it costs tens of milliseconds of CPU,
/// and the route is anonymous: generating per request would let anyone saturate the host. The document depends on
/// the route table only, which is fixed once the app has started.
/// </summary>
internal sealed class CachedOpenApiDocument(IServiceProvider services) : IDisposable
{
    public const string ContentType = "application/json;charset=utf-8";

    private readonly SemaphoreSlim _generation = new(1, 1);
    private byte[]? _json;

    /// <summary>The document's JSON. Concurrent first callers share one generation; a failed one is retried by the next caller.</summary>
    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _json) is { } cached)
        {
            return cached;
        }

        await _generation.WaitAsync(cancellationToken);
        try
        {
            if (_json is null)
            {
                // Not the caller's token: a client that leaves must not cancel the generation the others wait for.
                Volatile.Write(ref _json, await GenerateAsync(CancellationToken.None));
            }

            return _json!;
        }
        finally
        {
            _generation.Release();
        }
    }

    public void Dispose() => _generation.Dispose();

    private async Task<byte[]> GenerateAsync(CancellationToken cancellationToken)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(OpenApiSetup.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
        await using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await document.SerializeAsync(new OpenApiJsonWriter(text), OpenApiSpecVersion.OpenApi3_1, cancellationToken);
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
