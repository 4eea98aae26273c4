using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Onboarding.Tests.Infrastructure;

/// <summary>
/// One storage request as it crossed the proxy. <see cref="Body"/> is read only while a fault is armed (empty
/// otherwise), so a rule can pick a transaction by what it writes, e.g. the partition key of its entities.
/// </summary>
public readonly record struct StorageRequest(string Method, string Path, string Body);

/// <summary>
/// A loopback reverse proxy (YARP's forwarder on Kestrel) in front of Azurite's Table service. A host's
/// <c>Storage:ConnectionString</c> points at it (<see cref="ConnectionString"/>), so faults reach either host the same
/// way, in-process or not: every storage request is counted and logged, and chosen ones fail on the wire (503, 500, or
/// a connection the proxy resets) and meet the host's own SDK client and retry policy. A fault can also strike after
/// the request landed: Azurite applies it, and only its answer is replaced, as when a response is lost on the way back.
/// </summary>
public sealed class StorageFaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _upstream;
    private readonly ConcurrentQueue<string> _requests = new();
    private int _count;
    private InjectedStorageFault? _fault;

    private StorageFaultProxy(WebApplication app, HttpMessageInvoker upstream, string connectionString)
    {
        _app = app;
        _upstream = upstream;
        ConnectionString = connectionString;
    }

    /// <summary>Azurite's connection string with the Table endpoint on this proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>Storage requests (attempts, retries included) the host has sent.</summary>
    public int Requests => Volatile.Read(ref _count);

    /// <summary>"METHOD /path" of every request, oldest first.</summary>
    public IReadOnlyCollection<string> Log => _requests;

    /// <summary>Injected failures so far.</summary>
    public int Failures => Volatile.Read(ref _fault)?.Failed ?? 0;

    public static async Task<StorageFaultProxy> StartAsync(AzuriteFixture azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var upstreamUri = new Uri(azurite.Tables.Uri.GetLeftPart(UriPartial.Authority));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        var app = builder.Build();

        // As YARP recommends for a forwarder: no proxy, redirects, cookies or decompression of its own.
        var upstream = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        });

        StorageFaultProxy? proxy = null;
        app.Run(context => proxy!.HandleAsync(context, upstreamUri.ToString()));
        await app.StartAsync();

        var address = LoopbackAddress.Of(app.Services);
        var connectionString = azurite.ConnectionString.Replace(
            $"http://{upstreamUri.Authority}/", $"http://127.0.0.1:{address.Port}/", StringComparison.Ordinal);
        proxy = new StorageFaultProxy(app, upstream, connectionString);
        return proxy;
    }

    /// <summary>
    /// Fails requests that <paramref name="match"/> selects: the first <paramref name="skip"/> such requests pass, the
    /// next <paramref name="times"/> fail with <paramref name="fault"/>. A 503 carries <paramref name="retryAfter"/>
    /// when given, which the host's SDK client honours between its attempts as it would the service's. With
    /// <paramref name="afterLanding"/> each failing request is first forwarded and applied by Azurite; the fault then
    /// stands in for Azurite's answer. The returned fault counts its failures and heals when disposed (unless another
    /// fault replaced it).
    /// </summary>
    public InjectedStorageFault Fail(
        Func<StorageRequest, bool> match,
        StorageFault fault,
        int skip = 0,
        int times = int.MaxValue,
        TimeSpan? retryAfter = null,
        bool afterLanding = false)
    {
        var injected = new InjectedStorageFault(new FaultRule<StorageRequest>(match, fault, skip, times), retryAfter, afterLanding, this);
        Volatile.Write(ref _fault, injected);
        return injected;
    }

    public void Heal() => Volatile.Write(ref _fault, null);

    /// <summary>Heals <paramref name="fault"/> if it is still the armed one.</summary>
    internal void Heal(InjectedStorageFault fault) => Interlocked.CompareExchange(ref _fault, null, fault);

    /// <summary>Queries of the onboarding table's rows (not the secret store's table).</summary>
    public static bool IsOnboardingQuery(StorageRequest request) => request.Method == "GET" && request.Path.Contains("/onboarding()", StringComparison.Ordinal);

    public static bool IsTransaction(StorageRequest request) => request.Method == "POST" && request.Path.EndsWith("/$batch", StringComparison.Ordinal);

    public static bool IsSecretWrite(StorageRequest request) => request.Method == "PUT" && request.Path.Contains("/devsecrets(", StringComparison.Ordinal);

    public static bool IsSecretDelete(StorageRequest request) => request.Method == "DELETE" && request.Path.Contains("/devsecrets(", StringComparison.Ordinal);

    public static bool Any(StorageRequest request) => true;

    /// <summary>Entity-group transactions that write to <paramref name="partitionKey"/>.</summary>
    public static Func<StorageRequest, bool> IsTransactionOn(string partitionKey)
        => request => IsTransaction(request) && request.Body.Contains(partitionKey, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context, string upstream)
    {
        Interlocked.Increment(ref _count);
        _requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
        var forwarder = context.RequestServices.GetRequiredService<IHttpForwarder>();

        var fault = Volatile.Read(ref _fault);
        if (fault is null || !fault.Rule.Take(await ReadAsync(context.Request)))
        {
            await forwarder.SendAsync(context, upstream, _upstream);
            return;
        }

        if (fault.AfterLanding)
        {
            // Azurite has applied the request once its answer has arrived; the answer goes no further.
            await forwarder.SendAsync(context, upstream, _upstream, ForwarderRequestConfig.Empty, DiscardedAnswer.Instance);
        }

        switch (fault.Rule.Fault)
        {
            case StorageFault.ConnectionFailure:
                // A reset connection and no response, as from an account that went away mid-request.
                context.Abort();
                return;
            case StorageFault.InternalError:
                await ErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalError", "The server encountered an internal error.");
                return;
            default:
                if (fault.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ServerBusy", "The server is busy.");
                return;
        }
    }

    /// <summary>The request with its body, which stays readable for forwarding.</summary>
    private static async Task<StorageRequest> ReadAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return new StorageRequest(request.Method, request.Path.Value ?? "", body);
    }

    /// <summary>A Table service error as the service sends it: status, error code header and an OData error body.</summary>
    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        context.Response.ContentType = "application/json;odata=minimalmetadata";
        var body = new JsonObject
        {
            ["odata.error"] = new JsonObject { ["code"] = code, ["message"] = new JsonObject { ["lang"] = "en-US", ["value"] = message } },
        };
        return context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>
    /// Reads Azurite's answer to the end and copies none of it (status aside, which is replaced before anything is sent),
    /// so the client never sees it.
    /// </summary>
    private sealed class DiscardedAnswer : HttpTransformer
    {
        public static readonly DiscardedAnswer Instance = new();

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            if (proxyResponse is not null)
            {
                await proxyResponse.Content.CopyToAsync(Stream.Null, cancellationToken);
            }

            return false;
        }
    }
}
