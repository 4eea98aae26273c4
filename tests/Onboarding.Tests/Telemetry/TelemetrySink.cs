using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;
using Onboarding.Tests.Infrastructure;
using Onboarding.Tests.Telemetry.Otlp;

namespace Onboarding.Tests.Telemetry;

/// <summary>A loopback HTTP endpoint standing in for an OTLP collector or Azure Monitor ingestion: it records what arrives.</summary>
public sealed class TelemetrySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<byte[]> _traceBodies = new();
    private readonly ConcurrentQueue<byte[]> _logBodies = new();
    private readonly SemaphoreSlim _arrivals = new(0);

    private TelemetrySink(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>"METHOD /path" of each request received.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>The raw bodies of the OTLP/HTTP protobuf trace exports received, in order.</summary>
    public IReadOnlyCollection<byte[]> TraceBodies => _traceBodies;

    /// <summary>The raw bodies of the OTLP/HTTP protobuf log exports received, in order.</summary>
    public IReadOnlyCollection<byte[]> LogBodies => _logBodies;

    /// <summary>Every span of every trace export received so far, with the scope that produced it.</summary>
    public IReadOnlyList<(string Scope, Span Span)> Spans() => [.. ResourceSpans().Select(s => (s.Scope, s.Span))];

    /// <summary>Every span of every trace export received so far, with the resource and the scope that produced it.</summary>
    public IReadOnlyList<(Resource Resource, string Scope, Span Span)> ResourceSpans() =>
        [.. _traceBodies.Select(ExportTraceServiceRequest.Parser.ParseFrom)
            .SelectMany(export => export.ResourceSpans)
            .SelectMany(resource => resource.ScopeSpans.SelectMany(scope =>
                scope.Spans.Select(span => (resource.Resource ?? new Resource(), scope.Scope?.Name ?? "", span))))];

    /// <summary>
    /// Waits until <paramref name="condition"/> holds over what has arrived, re-checking it on each arrival; exporters
    /// batch, so the spans of one request can come in more than one export.
    /// </summary>
    public async Task WaitForAsync(Func<TelemetrySink, bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        while (!condition(this))
        {
            try
            {
                await _arrivals.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                var spans = Spans().Select(s => $"{s.Scope}:{s.Span.Name}:{Convert.ToHexStringLower(s.Span.TraceId.Span)}");
                Assert.Fail($"{what} did not arrive; received: {string.Join(", ", _requests)}; spans: {string.Join(", ", spans)}.");
            }
        }
    }

    public static async Task<TelemetrySink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new TelemetrySink(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            if (context.Request.Path.StartsWithSegments("/v1/traces", StringComparison.Ordinal))
            {
                sink._traceBodies.Enqueue(body.ToArray());
            }
            else if (context.Request.Path.StartsWithSegments("/v1/logs", StringComparison.Ordinal))
            {
                sink._logBodies.Enqueue(body.ToArray());
            }

            sink._requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            sink._arrivals.Release();
            if (context.Request.Path.StartsWithSegments("/v2.1/track", StringComparison.Ordinal))
            {
                // Azure Monitor's ingestion answer; the exporter only needs to see nothing was rejected.
                await context.Response.WriteAsJsonAsync(new { itemsReceived = 1, itemsAccepted = 1, errors = Array.Empty<object>() });
            }
        });
        await app.StartAsync();
        sink.BaseAddress = LoopbackAddress.Of(app.Services);
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}
