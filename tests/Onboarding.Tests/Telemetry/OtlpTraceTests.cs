using System.Net;
using System.Text;
using Onboarding.Core.Http;
using Onboarding.Tests.Infrastructure;
using Onboarding.Tests.Telemetry.Otlp;
using Xunit;

namespace Onboarding.Tests.Telemetry;

/// <summary>
/// What each host really exports over OTLP (OTLP/HTTP protobuf to a loopback receiver), so the out-of-process
/// Functions worker is checked the same way as the Server: one request is one trace whose storage calls sit under the
/// span that ran it, and no credential reaches the exported data.
/// </summary>
public sealed class OtlpTraceTests(AzuriteFixture azurite)
{
    /// <summary>
    /// The span that runs a request's code: the Server's ASP.NET Core request for the route (the in-process issuer's
    /// own requests share the trace), the worker's function invocation.
    /// </summary>
    private static bool IsInvocation(ApiHostKind kind, (string Scope, Span Span) span) => kind switch
    {
        ApiHostKind.Server => span.Scope == "Microsoft.AspNetCore"
            && span.Span.Attributes.Any(a => a.Key == "http.route" && a.Value.StringValue == "/api/onboarding/api-keys"),
        ApiHostKind.Functions => span.Scope == "Microsoft.Azure.Functions.Worker",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static bool IsStorage((string Scope, Span Span) span) => span.Scope.StartsWith("Azure.Data.Tables", StringComparison.Ordinal);

    /// <summary>The Table Storage calls that change data; a fresh host makes no others of its own.</summary>
    private static bool IsStorageWrite((string Scope, Span Span) span) =>
        IsStorage(span) && span.Span.Name is not ("TableClient.Query" or "TableClient.CreateIfNotExists" or "TableClient.GetEntity");

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task A_write_is_one_exported_trace_with_its_storage_calls_under_its_invocation(ApiHostKind kind)
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await StartAsync(kind, sink, issuer);
        using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        using var response = await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = StepData.GeminiKey });
        await response.ExpectAsync(HttpStatusCode.OK);
        var traceId = Convert.FromHexString(Assert.Single(response.Headers.GetValues("X-Correlation-Id")));

        List<(string Scope, Span Span)> Trace(TelemetrySink received) =>
            [.. received.Spans().Where(s => s.Span.TraceId.Span.SequenceEqual(traceId))];
        await sink.WaitForAsync(
            received => Trace(received) is var trace && trace.Any(s => IsInvocation(kind, s)) && trace.Any(IsStorageWrite),
            $"The {kind} invocation span and its storage write");

        var spans = Trace(sink);
        var invocation = Assert.Single(spans, s => IsInvocation(kind, s)).Span;
        var byId = spans.ToDictionary(s => Convert.ToHexString(s.Span.SpanId.Span), s => s.Span);
        foreach (var call in spans.Where(IsStorage).Select(s => s.Span))
        {
            Assert.True(IsUnder(call, invocation, byId), $"Storage span '{call.Name}' is not under the {kind} invocation span '{invocation.Name}'.");
        }
    }

    /// <summary>
    /// What the worker's OpenTelemetry defaults (<c>UseFunctionsWorkerDefaults</c> in src/Functions) put into the export:
    /// the invocation span (the worker's activity source is traced only with them), in the semantic conventions the
    /// defaults choose (1.37: span "function {name}", <c>faas.*</c> attributes), and the Functions resource detector's
    /// attributes beside the app's service name.
    /// </summary>
    [Fact]
    public async Task The_worker_exports_its_invocation_under_the_Functions_resource_and_conventions()
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await StartAsync(ApiHostKind.Functions, sink, issuer);
        using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        using var response = await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = StepData.GeminiKey });
        await response.ExpectAsync(HttpStatusCode.OK);
        var traceId = Convert.FromHexString(Assert.Single(response.Headers.GetValues("X-Correlation-Id")));

        bool IsThisInvocation((Resource Resource, string Scope, Span Span) s) =>
            s.Span.TraceId.Span.SequenceEqual(traceId) && IsInvocation(ApiHostKind.Functions, (s.Scope, s.Span));
        await sink.WaitForAsync(received => received.ResourceSpans().Any(IsThisInvocation), "The worker's invocation span");

        var (resource, _, invocation) = Assert.Single(sink.ResourceSpans(), IsThisInvocation);
        Assert.Equal($"function {RouteNames.SaveApiKey}", invocation.Name);
        Assert.Equal(RouteNames.SaveApiKey, StringAttribute(invocation.Attributes, "faas.name"));
        Assert.False(string.IsNullOrEmpty(StringAttribute(invocation.Attributes, "faas.invocation_id")), "The invocation span has no faas.invocation_id.");
        Assert.Equal("https://opentelemetry.io/schemas/1.37.0", StringAttribute(invocation.Attributes, "schema.url"));

        Assert.Equal("onboarding-functions", StringAttribute(resource.Attributes, "service.name"));
        Assert.StartsWith("dotnetiso:", StringAttribute(resource.Attributes, "ai.sdk.prefix"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task No_credential_reaches_the_exported_telemetry(ApiHostKind kind)
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await StartAsync(kind, sink, issuer);
        var token = issuer.Mint(ApiFixture.NewSubject());
        using var client = host.WithToken(token);

        using var response = await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = StepData.GeminiKey });
        await response.ExpectAsync(HttpStatusCode.OK);
        await sink.WaitForAsync(received => received.Spans().Any(IsStorageWrite), $"The {kind} host's storage write");

        // Protobuf carries strings as UTF-8 bytes, so any credential that reached an attribute would be in the raw bodies.
        var exported = sink.TraceBodies.SelectMany(body => body).ToArray();
        foreach (var secret in new[] { token, "Bearer ", StepData.GeminiKey, ApiHosts.LocalEncryptionKey })
        {
            Assert.True(exported.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"The exported telemetry contains '{secret[..Math.Min(8, secret.Length)]}...'.");
        }
    }

    private Task<IApiHost> StartAsync(ApiHostKind kind, TelemetrySink sink, TestIssuer issuer) =>
        ApiHosts.StartAsync(kind, azurite, issuer, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // The batch exporter's delay between exports (ms): short, so the spans arrive while the host runs.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });

    private static string? StringAttribute(IEnumerable<KeyValue> attributes, string key) =>
        attributes.FirstOrDefault(a => a.Key == key)?.Value?.StringValue;

    private static bool IsUnder(Span span, Span ancestor, Dictionary<string, Span> byId)
    {
        for (var current = span; current.ParentSpanId.Length > 0;)
        {
            if (current.ParentSpanId.Span.SequenceEqual(ancestor.SpanId.Span))
            {
                return true;
            }

            if (!byId.TryGetValue(Convert.ToHexString(current.ParentSpanId.Span), out var parent))
            {
                return false;
            }

            current = parent;
        }

        return false;
    }
}
