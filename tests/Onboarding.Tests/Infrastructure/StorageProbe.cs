using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Onboarding.Tests.Infrastructure;

/// <summary>How an injected storage failure looks to the SDK.</summary>
public enum StorageFault
{
    /// <summary>The service answers 503 Server Busy.</summary>
    ServiceUnavailable,

    /// <summary>The service answers 500.</summary>
    InternalError,

    /// <summary>No response at all: the connection fails, as when the account is unreachable.</summary>
    ConnectionFailure,
}

/// <summary>
/// An Azure.Core pipeline policy on the Server's <see cref="TableServiceClient"/> (which both the onboarding table and the
/// local secret store use): it counts every storage request and can fail chosen ones. It sits per retry, so an injected
/// failure meets the SDK's real retry policy.
/// </summary>
public sealed class StorageProbe : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _requests = new();
    private int _count;
    private FaultRule<Request>? _rule;

    /// <summary>Storage requests (attempts, retries included) the Server has sent.</summary>
    public int Requests => Volatile.Read(ref _count);

    /// <summary>"METHOD /path" of every request, oldest first.</summary>
    public IReadOnlyCollection<string> Log => _requests;

    /// <summary>Injected failures so far.</summary>
    public int Failures => _rule?.Failed ?? 0;

    /// <summary>
    /// Fails requests that <paramref name="match"/> selects: the first <paramref name="skip"/> such requests pass, the
    /// next <paramref name="times"/> fail with <paramref name="fault"/>.
    /// </summary>
    public void Fail(Func<Request, bool> match, StorageFault fault, int skip = 0, int times = int.MaxValue)
        => Volatile.Write(ref _rule, new FaultRule<Request>(match, fault, skip, times));

    public void Heal() => Volatile.Write(ref _rule, null);

    /// <summary>A hook for <see cref="ApiServer.StartAsync"/>: the Server's storage client goes through this probe.</summary>
    public Action<WebApplicationBuilder> Install(string connectionString, int maxRetries = 2) => builder =>
        builder.Services.Replace(ServiceDescriptor.Singleton(CreateClient(connectionString, maxRetries)));

    /// <summary>A client like Core's, with short retry delays so failing tests stay fast.</summary>
    [SuppressMessage("Reliability", "CA2000", Justification = "The client owns no disposable state.")]
    public TableServiceClient CreateClient(string connectionString, int maxRetries = 2)
    {
        var options = new TableClientOptions
        {
            Retry =
            {
                Mode = RetryMode.Fixed,
                MaxRetries = maxRetries,
                Delay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromMilliseconds(50),
                NetworkTimeout = TimeSpan.FromSeconds(5),
            },
        };
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(connectionString, options);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Intercept(message))
        {
            ProcessNext(message, pipeline);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Intercept(message))
        {
            await ProcessNextAsync(message, pipeline);
        }
    }

    /// <summary>True when the request was answered (or failed) here instead of being sent.</summary>
    private bool Intercept(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        _requests.Enqueue($"{message.Request.Method} {message.Request.Uri.Path}");
        var rule = Volatile.Read(ref _rule);
        if (rule is null || !rule.Take(message.Request))
        {
            return false;
        }

        switch (rule.Fault)
        {
            case StorageFault.ConnectionFailure:
                throw new RequestFailedException("Injected: connection refused.", new HttpRequestException("Injected: connection refused."));
            case StorageFault.InternalError:
                message.Response = new FaultResponse(500, "Internal Server Error", message.Request.ClientRequestId);
                return true;
            default:
                message.Response = new FaultResponse(503, "Server Busy", message.Request.ClientRequestId);
                return true;
        }
    }

    /// <summary>Requests to the onboarding table's rows or its transactions (not the secret store's table).</summary>
    public static bool IsOnboardingQuery(Request request) => request.Method == RequestMethod.Get && request.Uri.Path.Contains("/onboarding()", StringComparison.Ordinal);

    public static bool IsTransaction(Request request) => request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal);

    public static bool IsSecretWrite(Request request) => request.Method == RequestMethod.Put && request.Uri.Path.Contains("/devsecrets(", StringComparison.Ordinal);

    public static bool IsSecretRead(Request request) => request.Method == RequestMethod.Get && request.Uri.Path.Contains("/devsecrets(", StringComparison.Ordinal);

    public static bool IsSecretDelete(Request request) => request.Method == RequestMethod.Delete && request.Uri.Path.Contains("/devsecrets(", StringComparison.Ordinal);

    public static bool Any(Request request) => request is not null;

    /// <summary>A bodiless storage error response.</summary>
    private sealed class FaultResponse(int status, string reason, string clientRequestId) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => reason;

        // The transport normally classifies the response; this one never reaches it, and the retry policy reads this flag.
        public override bool IsError => true;

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

        protected override IEnumerable<HttpHeader> EnumerateHeaders()
        {
            yield return new HttpHeader("Content-Length", "0");
            yield return new HttpHeader("x-ms-error-code", status == 503 ? "ServerBusy" : "InternalError");
        }

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = EnumerateHeaders().FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = TryGetHeader(name, out var value) ? [value] : null;
            return values is not null;
        }
    }
}
